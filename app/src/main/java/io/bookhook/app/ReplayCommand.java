package io.bookhook.app;

import io.bookhook.ledger.ConsumerGroupReplay;
import io.bookhook.ledger.ReplayTime;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "replay", mixinStandardHelpOptions = true,
        description = {"Re-delivers what is not delivered since a time.",
                "",
                "Resets the sink's consumer group on the events topic to the first event at or after TIME, so the sink reads "
                        + "those events again when it starts. The ledger keeps receivers from getting again what they accepted: "
                        + "only what is not delivered is re-attempted. Stop the sink first: a group with live members is refused.",
                "",
                "Exit codes: 0 reset (or planned, with --dry-run), 1 group still running or Kafka unreachable, 2 bad option or setting."})
final class ReplayCommand extends OperatorCommand {

    @Option(names = "--since", required = true, paramLabel = "TIME",
            description = "2026-11-27T09:00:00Z (or with an offset, +01:00), 2026-11-27 (start of that day, UTC), or back from now: 90m, 24h, 2d.")
    String since;

    @Option(names = "--group", paramLabel = "GROUP", description = "The sink's consumer group (default: BOOKHOOK_SINK_GROUP_ID, else bookhook-sink).")
    String group;

    @Option(names = "--dry-run", description = "Show the offsets the reset would set, and change nothing.")
    boolean dryRun;

    ReplayCommand(Map<String, String> environment) {
        super(environment);
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) {
        Instant from = ReplayTime.parse(since, Clock.systemUTC());
        String sinkGroup = group != null ? group : settings.sinkGroupId();
        String topic = settings.topics().appointmentEvents();
        try (Admin admin = Admin.create(new HashMap<>(promptClient(settings)))) {
            ConsumerGroupReplay replay = new ConsumerGroupReplay(admin, KAFKA_ANSWER_WITHIN);
            ConsumerGroupReplay.Plan plan = dryRun ? replay.plan(sinkGroup, topic, from) : replay.reset(sinkGroup, topic, from);
            out.println((dryRun ? "would reset" : "reset") + " group " + sinkGroup + " on " + topic + " to " + from + ":");
            out.printf("  %-9s  %-16s  %s%n", "PARTITION", "COMMITTED BEFORE", "RESUMES AT");
            for (ConsumerGroupReplay.PartitionReset partition : plan.partitions()) {
                out.printf("  %-9d  %-16s  %d%n", partition.partition(),
                        partition.committedBefore() == null ? "-" : partition.committedBefore().toString(), partition.resumeAt());
            }
            out.println(dryRun ? "nothing changed (--dry-run)"
                    : "start the sink: it re-attempts what the ledger does not show as delivered since " + from);
            return 0;
        }
    }
}
