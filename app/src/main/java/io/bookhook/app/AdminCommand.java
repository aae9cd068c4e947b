package io.bookhook.app;

import io.bookhook.runtime.MeterRegistries;
import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.DeliveryRequests;
import io.bookhook.ledger.EndpointControls;
import io.bookhook.ledger.EndpointView;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.admin.AdminAccess;
import io.bookhook.ledger.admin.AdminServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Clock;
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
        Map<String, String> client = settings.env().kafkaClient();
        PrometheusMeterRegistry registry = MeterRegistries.prometheusWithJvmMeters();
        DeliveryRequests requests = new DeliveryRequests(client, settings.topics().deliveryRequests());
        EndpointView endpoints = EndpointView.start(client, settings.topics());
        EndpointControls controls = new EndpointControls(client, settings.topics().endpointControl(), Clock.systemUTC());
        // Started last, so that nothing failing before it leaves its directory on disk; not awaited: the admin answers
        // /health/live at once and /health/ready once the ledger is read.
        LedgerView ledger = LedgerView.start(client, settings.topics().deliveryLedger());
        AdminServer server;
        try {
            server = AdminServer.start(address, access, ledger,
                    new DeliveryActions(ledger.index(), requests, Clock.systemUTC()), endpoints, controls, registry);
        } catch (RuntimeException e) {
            controls.close();
            endpoints.close();
            requests.close();
            ledger.close();
            throw e;
        }
        out.println("bookhook admin at " + server.uri() + " (metrics at " + server.uri().resolve("metrics") + "; "
                + (access.needsToken() ? "the API asks for a token" : "no token: loopback only") + ")");
        out.flush();
        AutoCloseable all = () -> {
            server.close();
            controls.close();
            endpoints.close();
            requests.close();
            ledger.close();
        };
        return StageRunner.runUntilStopped("admin", all, ledger.stopped());
    }
}
