package io.bookhook.app;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** The command line's reader of durations: the one syntax of every setting ({@link io.bookhook.runtime.settings.Durations}). */
final class Durations implements ITypeConverter<Duration> {

    static Duration parse(String text) {
        return io.bookhook.runtime.settings.Durations.parse(text);
    }

    static String format(Duration duration) {
        return io.bookhook.runtime.settings.Durations.format(duration);
    }

    @Override
    public Duration convert(String value) {
        return parse(value);
    }
}
