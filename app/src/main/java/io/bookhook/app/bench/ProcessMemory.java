package io.bookhook.app.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** This process's memory: resident set size from {@code /proc/self/status}, and live heap after a full GC. */
public final class ProcessMemory {

    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {
    }

    /** Current resident set size in bytes ({@code VmRSS}), or -1 where /proc is not there. */
    public static long rssBytes() {
        return statusField("VmRSS:");
    }

    /** Peak resident set size in bytes since the process started ({@code VmHWM}), or -1. */
    public static long peakRssBytes() {
        return statusField("VmHWM:");
    }

    /** Heap in use right after {@link System#gc()} (a full collection with G1): the live heap, in bytes. */
    public static long heapAfterGcBytes() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    static long statusField(String name) {
        try {
            return parseKiloBytes(Files.readAllLines(STATUS), name);
        } catch (IOException | RuntimeException notLinux) {
            return -1;
        }
    }

    /** The value of a {@code Name:   1234 kB} line, in bytes; -1 when absent. */
    static long parseKiloBytes(List<String> lines, String name) {
        for (String line : lines) {
            if (line.startsWith(name)) {
                String value = line.substring(name.length()).strip();
                int space = value.indexOf(' ');
                return Long.parseLong(space < 0 ? value : value.substring(0, space)) * 1024;
            }
        }
        return -1;
    }
}
