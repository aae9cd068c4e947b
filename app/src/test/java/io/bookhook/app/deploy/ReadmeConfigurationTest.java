package io.bookhook.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import io.bookhook.app.StageSettingsProbe;
import io.bookhook.runtime.settings.Setting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration table, read as a reader of the README would, checked against the settings the code declares:
 * every declared variable has a row, every row is a declared variable (or the Kafka pass-through or a launcher's), and
 * each row's default and "used by" are the declaration's. The declarations' "used by" is in turn checked against what
 * each stage actually reads, so the table cannot drift from the code in either step.
 */
class ReadmeConfigurationTest {

    private static final Path README = Path.of("..", "README.md");
    private static final Pattern NAME_CELL = Pattern.compile("`([A-Z0-9_]+\\*?)`");
    /** The readers that "all" stands for: every command that connects to Kafka. */
    private static final Set<String> ALL = Set.of("capture", "derive", "sink", "backfill", "replay", "operators");
    private static final String KAFKA_PASS_THROUGH = StageSettingsProbe.KAFKA_PASS_THROUGH_PREFIX + "*";

    private record Row(String variable, String defaultCell, String usedBy) {
    }

    private static Map<String, Row> rows;

    @BeforeAll
    static void readTable() throws IOException {
        rows = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(README);
        int section = lines.indexOf("## Configuration");
        assertThat(section).as("README has a Configuration section").isNotNegative();
        int header = section;
        while (!lines.get(header).startsWith("| variable | default | used by |")) {
            header++;
            assertThat(lines.get(header)).as("the table comes before the next section").doesNotStartWith("## ");
        }
        for (int i = header + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String line = lines.get(i);
            String[] cells = line.substring(1, line.length() - 1).split("(?<= )\\|(?= )", -1);
            assertThat(cells).as("row '%s' has four cells", line).hasSize(4);
            Matcher name = NAME_CELL.matcher(cells[0].strip());
            assertThat(name.matches()).as("row '%s' names one variable in backticks", line).isTrue();
            Row row = new Row(name.group(1), cells[1].strip(), cells[2].strip());
            assertThat(rows.put(row.variable(), row)).as("%s has one row", row.variable()).isNull();
        }
    }

    /** Each declared variable and the readers that read it, in the order the code lists the readers. */
    private static Map<String, Set<String>> readersByVariable() {
        Map<String, Set<String>> readers = new HashMap<>();
        StageSettingsProbe.declaredByReader().forEach((reader, settings) -> settings.forEach(
                setting -> readers.computeIfAbsent(setting.name(), name -> new LinkedHashSet<>()).add(reader)));
        return readers;
    }

    private static Map<String, Setting<?>> declarations() {
        Map<String, Setting<?>> declared = new HashMap<>();
        StageSettingsProbe.declaredByReader().values().forEach(settings -> settings.forEach(setting -> declared.put(setting.name(), setting)));
        return declared;
    }

    private static String usedBy(Set<String> readers) {
        return readers.containsAll(ALL) ? "all" : String.join(", ", readers);
    }

    @Test
    void every_declared_variable_has_a_row_and_every_row_is_declared() {
        Set<String> declared = declarations().keySet();
        Set<String> documented = new TreeSet<>(rows.keySet());
        documented.remove(KAFKA_PASS_THROUGH);
        documented.removeAll(StageSettingsProbe.LAUNCHER_VARIABLES);

        assertThat(new TreeSet<>(declared)).as("declared variables without a row in the README").isSubsetOf(documented);
        assertThat(documented).as("README rows no setting declares").isSubsetOf(declared);
        assertThat(rows).as("the Kafka client pass-through row").containsKey(KAFKA_PASS_THROUGH);
        assertThat(rows.keySet()).as("the launchers' variables").containsAll(StageSettingsProbe.LAUNCHER_VARIABLES);
    }

    @Test
    void every_row_has_its_declared_default() {
        List<String> wrong = new ArrayList<>();
        declarations().values().stream().filter(setting -> rows.containsKey(setting.name())).forEach(setting -> {
            String cell = rows.get(setting.name()).defaultCell();
            String expected = setting.documentedDefault().orElse(null);
            boolean right = expected == null
                    ? cell.startsWith("(required")
                    : cell.equals(expected) || cell.startsWith("`" + expected + "`");
            if (!right) {
                wrong.add(setting.name() + ": README says '" + cell + "', the code " + (expected == null ? "requires it" : "'" + expected + "'"));
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void every_row_names_the_stages_and_commands_that_read_it() {
        List<String> wrong = new ArrayList<>();
        readersByVariable().forEach((variable, readers) -> {
            Row row = rows.get(variable);
            if (row != null && !row.usedBy().equals(usedBy(readers))) {
                wrong.add(variable + ": README says '" + row.usedBy() + "', the code '" + usedBy(readers) + "'");
            }
        });
        StageSettingsProbe.LAUNCHER_VARIABLES.forEach(variable -> assertThat(rows.get(variable).usedBy()).isEqualTo("launchers"));
        assertThat(wrong).isEmpty();
    }

    /** What the stages declare is what they read: the table's "used by" cannot be right about a list that is wrong. */
    @Test
    void each_stage_reads_exactly_the_variables_declared_for_it() {
        Map<String, String> environment = Map.of(
                "BOOKHOOK_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092",
                "BOOKHOOK_POSTGRES_HOST", "db", "BOOKHOOK_POSTGRES_DB", "booking", "BOOKHOOK_POSTGRES_USER", "bookhook",
                "BOOKHOOK_POSTGRES_PASSWORD", "pw",
                "MAKE_WEBHOOK_URL", "https://hook.example.com/token", "MAKE_WEBHOOK_SECRET", "s3cret");
        for (String stage : List.of("capture", "derive", "sink", "mock-receiver")) {
            Set<String> read = StageSettingsProbe.read(stage, environment).read().stream()
                    // Looked up only to be refused (BOOKHOOK_KAFKA_MAX_MESSAGE_BYTES is the setting); not one of bookhook's.
                    .filter(name -> !name.equals(StageSettingsProbe.KAFKA_PASS_THROUGH_PREFIX + "MAX_REQUEST_SIZE"))
                    .collect(Collectors.toCollection(TreeSet::new));
            Set<String> declared = StageSettingsProbe.declaredByReader().get(stage).stream().map(Setting::name)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(read).as("what %s reads", stage).isEqualTo(declared);
        }
    }
}
