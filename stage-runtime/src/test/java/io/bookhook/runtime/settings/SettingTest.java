package io.bookhook.runtime.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingTest {

    private static final Setting<Duration> INTERVAL = Setting.positiveDuration("X_INTERVAL", Duration.ofSeconds(10));
    private static final Setting<Integer> PORT = Setting.integer("X_PORT", 8080, 0, 65535);
    private static final Setting<String> PASSWORD = Setting.requiredText("X_PASSWORD").secret();

    @Test
    void an_unset_or_blank_variable_takes_the_default_and_is_recorded_as_read() {
        SettingsReader env = new SettingsReader(Map.of("X_PORT", "  "));
        assertThat(env.get(INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(env.get(PORT)).isEqualTo(8080);
        assertThat(env.namesRead()).containsExactlyInAnyOrder("X_INTERVAL", "X_PORT");
        assertThat(env.namesRequired()).isEmpty();
    }

    @Test
    void a_refusal_names_the_variable_the_rule_and_the_text_given() {
        assertThatThrownBy(() -> new SettingsReader(Map.of("X_INTERVAL", "0s")).get(INTERVAL))
                .isInstanceOf(InvalidSettingException.class).hasMessage("X_INTERVAL must be a positive duration, got '0s'");
        assertThatThrownBy(() -> new SettingsReader(Map.of("X_INTERVAL", "10 sec")).get(INTERVAL))
                .hasMessage("X_INTERVAL must be a duration like 250ms, 10s, 5m, 1h or 30d, got '10 sec'");
        assertThatThrownBy(() -> new SettingsReader(Map.of("X_PORT", "70000")).get(PORT))
                .hasMessage("X_PORT must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> new SettingsReader(Map.of()).get(PASSWORD)).hasMessage("X_PASSWORD is not set");
    }

    @Test
    void a_secret_is_required_and_never_echoed() {
        Setting<Integer> pin = Setting.integer("X_PIN", 1, 1000, 9999).secret();
        SettingsReader env = new SettingsReader(Map.of("X_PIN", "12"));
        assertThatThrownBy(() -> env.get(pin)).hasMessage("X_PIN must be between 1000 and 9999");
        assertThatThrownBy(() -> pin.check(12)).hasMessage("X_PIN must be between 1000 and 9999");
        assertThatThrownBy(() -> env.get(PASSWORD)).hasMessage("X_PASSWORD is not set");
        assertThat(env.namesRequired()).containsExactly("X_PASSWORD");
    }

    @Test
    void a_value_given_in_code_meets_the_same_rules_with_the_same_words() {
        assertThat(INTERVAL.check(Duration.ofMillis(1))).isEqualTo(Duration.ofMillis(1));
        assertThatThrownBy(() -> INTERVAL.check(Duration.ZERO)).hasMessage("X_INTERVAL must be a positive duration, was PT0S");
        assertThatThrownBy(() -> INTERVAL.check(null)).hasMessage("X_INTERVAL must be a positive duration, was null");
    }

    @Test
    void durations_read_back_as_they_are_written() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse(" 5M ")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.format(Duration.ofDays(90))).isEqualTo("90d");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(INTERVAL.documentedDefault()).contains("10s");
        assertThat(PASSWORD.documentedDefault()).isEmpty();
    }
}
