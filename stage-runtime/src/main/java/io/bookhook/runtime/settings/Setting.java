package io.bookhook.runtime.settings;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One environment variable, declared once: its name, how its text is read, its default (as a value and as the README
 * writes it) and the rules a value must meet. Every refusal is one line that starts with the variable's name; a secret's
 * value is never in it. Read it with {@link SettingsReader}; a settings record checks a value it was given with
 * {@link #check}, so the rule and its text are the same whichever way the value came.
 *
 * @param <T> the type the text is read as
 */
public final class Setting<T> {

    private record Rule<T>(Predicate<T> test, String phrase) {
    }

    private final String name;
    private final String expected;
    private final Function<String, T> parser;
    private final T defaultValue;
    private final String documentedDefault;
    private final boolean required;
    private final boolean secret;
    private final boolean quoted;
    private final List<Rule<T>> rules;

    private Setting(String name, String expected, Function<String, T> parser, T defaultValue, String documentedDefault,
                    boolean required, boolean secret, boolean quoted, List<Rule<T>> rules) {
        this.name = Objects.requireNonNull(name, "name");
        this.expected = expected;
        this.parser = parser;
        this.defaultValue = defaultValue;
        this.documentedDefault = documentedDefault;
        this.required = required;
        this.secret = secret;
        this.quoted = quoted;
        this.rules = List.copyOf(rules);
    }

    private static <T> Setting<T> of(String name, String expected, Function<String, T> parser, T defaultValue, String documented,
                                     boolean quoted) {
        return new Setting<>(name, expected, parser, defaultValue, documented, false, false, quoted, List.of());
    }

    /** Text, {@code defaultValue} when unset. */
    public static Setting<String> text(String name, String defaultValue) {
        return of(name, "text", Function.identity(), Objects.requireNonNull(defaultValue), defaultValue, true);
    }

    /** Text that must be set. */
    public static Setting<String> requiredText(String name) {
        return text(name, "").required();
    }

    /** Text whose default is worked out where it is read (see {@link SettingsReader#find}); the README writes it {@code documented}. */
    public static Setting<String> optionalText(String name, String documented) {
        return of(name, "text", Function.identity(), null, documented, true);
    }

    /** A comma-separated list; empty when unset. */
    public static Setting<List<String>> list(String name) {
        return of(name, "a comma-separated list",
                raw -> Arrays.stream(raw.split(",")).map(String::strip).filter(item -> !item.isEmpty()).toList(), List.of(), "", true);
    }

    /** A whole number from {@code min} to {@code max}. */
    public static Setting<Integer> integer(String name, int defaultValue, int min, int max) {
        return integer(name, defaultValue, String.valueOf(defaultValue)).must(value -> value >= min && value <= max,
                "be between " + min + " and " + max);
    }

    /** A whole number whose default is worked out where it is read; the README writes it {@code documented}. */
    public static Setting<Integer> integer(String name, Integer defaultValue, String documented) {
        return of(name, "a whole number", raw -> Integer.parseInt(raw.strip()), defaultValue, documented, false);
    }

    /** A decimal number. */
    public static Setting<Double> decimal(String name, double defaultValue) {
        return of(name, "a number", raw -> {
            double value = Double.parseDouble(raw.strip());
            if (Double.isNaN(value)) {
                throw new NumberFormatException("NaN");
            }
            return value;
        }, defaultValue, String.valueOf(defaultValue), false);
    }

    /** {@code true}, {@code yes}, {@code 1} or {@code false}, {@code no}, {@code 0}. */
    public static Setting<Boolean> flag(String name, boolean defaultValue) {
        return of(name, "true or false", raw -> switch (raw.strip().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(raw);
        }, defaultValue, String.valueOf(defaultValue), true);
    }

    /** A duration in the one syntax of {@link Durations}; zero allowed (what it means is the setting's to say). */
    public static Setting<Duration> duration(String name, Duration defaultValue) {
        return of(name, Durations.EXPECTED, Durations::parse, defaultValue, Durations.format(defaultValue), true);
    }

    /** A duration that must be more than zero. */
    public static Setting<Duration> positiveDuration(String name, Duration defaultValue) {
        return duration(name, defaultValue).must(Setting::positive, "be a positive duration");
    }

    /**
     * How long something is kept: {@code forever} (empty) or a positive duration. {@code defaultValue} null means
     * forever.
     */
    public static Setting<Optional<Duration>> retention(String name, Duration defaultValue) {
        return Setting.<Optional<Duration>>custom(name, "forever or " + Durations.EXPECTED, Setting::keptFor, Optional.ofNullable(defaultValue),
                        defaultValue == null ? FOREVER : Durations.format(defaultValue))
                .must(kept -> kept.map(Setting::positive).orElse(true), "be forever or a positive duration");
    }

    private static final String FOREVER = "forever";

    private static Optional<Duration> keptFor(String text) {
        return text.strip().toLowerCase(Locale.ROOT).equals(FOREVER) ? Optional.empty() : Optional.of(Durations.parse(text));
    }

    /** A value of a setting's own syntax, described by {@code expected} when the text does not parse. */
    public static <T> Setting<T> custom(String name, String expected, Function<String, T> parser, T defaultValue, String documented) {
        return of(name, expected, parser, defaultValue, documented, true);
    }

    private static boolean positive(Duration duration) {
        return !duration.isZero() && !duration.isNegative();
    }

    /** Adds a rule: a value must pass {@code test}; a refusal says the variable must {@code phrase} ("be at most 1000"). */
    public Setting<T> must(Predicate<T> test, String phrase) {
        List<Rule<T>> more = new ArrayList<>(rules);
        more.add(new Rule<>(test, phrase));
        return new Setting<>(name, expected, parser, defaultValue, documentedDefault, required, secret, quoted, more);
    }

    /** Must be set: there is no default. */
    public Setting<T> required() {
        return new Setting<>(name, expected, parser, null, null, true, secret, quoted, rules);
    }

    /** Holds a credential or a token: its value is never echoed in a refusal. */
    public Setting<T> secret() {
        return new Setting<>(name, expected, parser, defaultValue, documentedDefault, required, true, quoted, rules);
    }

    /** The default as the README writes it, where it is not simply the value (a computed one, or a note). */
    public Setting<T> documentedAs(String documented) {
        return new Setting<>(name, expected, parser, defaultValue, documented, required, secret, quoted, rules);
    }

    public String name() {
        return name;
    }

    public boolean isRequired() {
        return required;
    }

    public Optional<T> defaultValue() {
        return Optional.ofNullable(defaultValue);
    }

    /** The default as the README's configuration table writes it; empty when the setting is required. */
    public Optional<String> documentedDefault() {
        return Optional.ofNullable(documentedDefault);
    }

    /** Reads the variable's (stripped, non-blank) text. */
    T parse(String raw) {
        T value;
        try {
            value = Objects.requireNonNull(parser.apply(raw));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new InvalidSettingException(name + " must be " + expected + (secret ? "" : ", got '" + raw + "'"));
        }
        for (Rule<T> rule : rules) {
            if (!rule.test().test(value)) {
                throw new InvalidSettingException(name + " must " + rule.phrase() + (secret ? "" : ", got " + (quoted ? "'" + raw + "'" : raw)));
            }
        }
        return value;
    }

    /** {@code value} when it meets every rule; else a refusal naming the variable and the value (not a secret's). */
    public T check(T value) {
        for (Rule<T> rule : rules) {
            if (value == null || !rule.test().test(value)) {
                throw new InvalidSettingException(name + " must " + rule.phrase() + (secret ? "" : ", was " + value));
            }
        }
        return value;
    }

    @Override
    public String toString() {
        return name;
    }
}
