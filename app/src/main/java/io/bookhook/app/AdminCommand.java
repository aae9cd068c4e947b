package io.bookhook.app;

import io.bookhook.ledger.admin.AdminAccess;
import io.bookhook.runtime.MeterRegistries;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "admin", mixinStandardHelpOptions = true,
        description = {"Serves the admin page, its JSON API, metrics and health checks.",
                "",
                "The page lists deliveries and retries or resends them; /api/deliveries is its JSON API; /metrics is in the "
                        + "Prometheus text format; /health/live and /health/ready (ready once the ledger is read to its end). "
                        + "The API asks for a token (Authorization: Bearer ...): BOOKHOOK_ADMIN_TOKEN may do everything, "
                        + "BOOKHOOK_ADMIN_READ_TOKEN only read. Without a token it listens on loopback only."})
final class AdminCommand extends OperatorCommand {

    @Option(names = "--port", defaultValue = "8081", paramLabel = "P", description = "Port to listen on (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS",
            description = "Address to listen on (default: BOOKHOOK_ADMIN_BIND, else 127.0.0.1; 0.0.0.0 in a container, which needs "
                    + "BOOKHOOK_ADMIN_TOKEN).")
    String bind;

    AdminCommand(Map<String, String> environment) {
        super(environment);
    }

    /** The admin runs as a service: it keeps its logs. */
    @Override
    boolean printsOnlyItsResult() {
        return false;
    }

    @Override
    int run(BookhookSettings settings, PrintWriter out) throws Exception {
        AdminAccess access = settings.adminAccess();
        InetSocketAddress address = new InetSocketAddress(bind != null ? bind : settings.adminBind(), port);
        if (!access.mayListenOn(address)) {
            throw new SettingsException(SharedSettings.ADMIN_TOKEN.name() + " is not set, so the admin listens on loopback only, not on "
                    + address.getHostString() + " (BOOKHOOK_ADMIN_BIND or --bind): set " + SharedSettings.ADMIN_TOKEN.name()
                    + " (and " + SharedSettings.ADMIN_READ_TOKEN.name() + " for read-only users), or bind to 127.0.0.1");
        }
        AdminProcess admin = AdminProcess.start(settings, address, access, MeterRegistries.prometheusWithJvmMeters());
        out.println("bookhook admin at " + admin.uri() + " (metrics at " + admin.uri().resolve("metrics") + "; "
                + (access.needsToken() ? "the API asks for a token" : "no token: loopback only") + ")");
        out.flush();
        return StageRunner.runUntilStopped("admin", admin, admin.stopped());
    }
}
