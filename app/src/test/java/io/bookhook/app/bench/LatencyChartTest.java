package io.bookhook.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bookhook.app.bench.LatencyStats.Summary;
import io.bookhook.app.bench.RunAnalysis.Second;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyChartTest {

    static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    @Test
    void the_chart_is_a_png_drawn_without_a_display(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("latency.png");
        List<Second> seconds = List.of(new Second(0, Phase.WARMUP, new Summary(500, 40, 90, 300, 900)),
                new Second(1, Phase.STEADY, new Summary(500, 12, 30, 60, 80)),
                new Second(2, Phase.STEADY, new Summary(3, 0, 0, 0, 0)),
                new Second(5, Phase.BACKLOG, new Summary(30_000, 2_000, 6_000, 7_000, 7_500)));

        LatencyChart.writePng(file, seconds, Map.of("warm-up ends", 1.0, "paced ends", 3.0, "backlog starts", 5.2));

        byte[] written = Files.readAllBytes(file);
        assertThat(Arrays.copyOf(written, PNG_MAGIC.length)).isEqualTo(PNG_MAGIC);
        assertThat(dir.toFile().list()).containsExactly("latency.png");
    }

    @Test
    void nothing_delivered_means_no_chart(@TempDir Path dir) {
        assertThatThrownBy(() -> LatencyChart.writePng(dir.resolve("latency.png"), List.of(), Map.of()))
                .hasMessageContaining("nothing to draw");
    }
}
