package io.bookhook.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcessMemoryTest {

    @Test
    void status_lines_are_read_in_kibibytes() {
        List<String> status = List.of("Name:\tjava", "VmHWM:\t  524288 kB", "VmRSS:\t  262144 kB");

        assertThat(ProcessMemory.parseKiloBytes(status, "VmRSS:")).isEqualTo(256L * 1024 * 1024);
        assertThat(ProcessMemory.parseKiloBytes(status, "VmHWM:")).isEqualTo(512L * 1024 * 1024);
        assertThat(ProcessMemory.parseKiloBytes(status, "VmSwap:")).isEqualTo(-1);
    }

    @Test
    void this_process_has_a_resident_set_and_a_live_heap() {
        long rss = ProcessMemory.rssBytes();

        assertThat(rss).isPositive();
        // Read after the RSS: the high-water mark can only have grown since.
        assertThat(ProcessMemory.peakRssBytes()).isGreaterThanOrEqualTo(rss);
        assertThat(ProcessMemory.heapAfterGcBytes()).isPositive();
    }
}
