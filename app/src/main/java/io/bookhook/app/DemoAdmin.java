package io.bookhook.app;

import io.bookhook.runtime.MeterRegistries;
import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.DeliveryRequests;
import io.bookhook.ledger.EndpointControls;
import io.bookhook.ledger.EndpointView;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.admin.AdminAccess;
import io.bookhook.ledger.admin.AdminServer;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/** The admin page of the demo, on a free loopback port and without a token, showing the metrics of every stage in the process. */
final class DemoAdmin implements AutoCloseable {

    private final LedgerView ledger;
    private final DeliveryRequests requests;
    private final AdminServer server;
    private final PrometheusMeterRegistry registry;

    private final EndpointView endpoints;
    private final EndpointControls controls;

    private DemoAdmin(LedgerView ledger, DeliveryRequests requests, EndpointView endpoints, EndpointControls controls, AdminServer server,
                      PrometheusMeterRegistry registry) {
        this.ledger = ledger;
        this.requests = requests;
        this.endpoints = endpoints;
        this.controls = controls;
        this.server = server;
        this.registry = registry;
    }

    static DemoAdmin start(BookhookSettings settings) {
        Map<String, String> client = settings.env().kafkaClient();
        PrometheusMeterRegistry registry = MeterRegistries.prometheusWithJvmMeters();
        Metrics.addRegistry(registry);
        DeliveryRequests requests = new DeliveryRequests(client, settings.topics().deliveryRequests());
        EndpointView endpoints = EndpointView.start(client, settings.topics());
        EndpointControls controls = new EndpointControls(client, settings.topics().endpointControl(), Clock.systemUTC());
        // Started last and closed when the server cannot start, so that a failed start leaves no directory on disk.
        LedgerView ledger = LedgerView.start(client, settings.topics().deliveryLedger());
        AdminServer server;
        try {
            // The demo's admin asks for no token: it is on loopback, for whoever runs the demo on this machine.
            server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), AdminAccess.open(), ledger,
                    new DeliveryActions(ledger.index(), requests, Clock.systemUTC()), endpoints, controls, registry);
        } catch (RuntimeException e) {
            ledger.close();
            throw e;
        }
        return new DemoAdmin(ledger, requests, endpoints, controls, server, registry);
    }

    URI uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
        controls.close();
        endpoints.close();
        requests.close();
        ledger.close();
        Metrics.removeRegistry(registry);
    }
}
