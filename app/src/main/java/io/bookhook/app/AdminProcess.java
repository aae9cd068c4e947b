package io.bookhook.app;

import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.DeliveryRequests;
import io.bookhook.ledger.EndpointControls;
import io.bookhook.ledger.EndpointView;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.admin.AdminAccess;
import io.bookhook.ledger.admin.AdminServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The admin, as {@code bookhook admin} and the demo run it: its ledger view, the request and endpoint-control writers
 * and the endpoint view its API uses, and its server; started together, and closed together (also when a later one of
 * them fails to start).
 */
final class AdminProcess implements AutoCloseable {

    private final Deque<AutoCloseable> parts;
    private final LedgerView ledger;
    private final AdminServer server;

    private AdminProcess(Deque<AutoCloseable> parts, LedgerView ledger, AdminServer server) {
        this.parts = parts;
        this.ledger = ledger;
        this.server = server;
    }

    /** Not awaited: the admin answers {@code /health/live} at once and {@code /health/ready} once the ledger is read. */
    static AdminProcess start(BookhookSettings settings, InetSocketAddress address, AdminAccess access, PrometheusMeterRegistry registry) {
        Map<String, String> client = settings.env().kafkaClient();
        Deque<AutoCloseable> parts = new ArrayDeque<>();
        try {
            DeliveryRequests requests = started(parts, new DeliveryRequests(client, settings.topics().deliveryRequests()));
            EndpointView endpoints = started(parts, EndpointView.start(client, settings.topics()));
            EndpointControls controls = started(parts, new EndpointControls(client, settings.topics().endpointControl(), Clock.systemUTC()));
            // The ledger view last of the clients: a start that fails before it leaves no directory on disk.
            LedgerView ledger = started(parts, LedgerView.start(client, settings.topics().deliveryLedger()));
            AdminServer server = started(parts, AdminServer.start(address, access, ledger,
                    new DeliveryActions(ledger.index(), requests, Clock.systemUTC()), endpoints, controls, registry));
            return new AdminProcess(parts, ledger, server);
        } catch (RuntimeException | Error e) {
            closeAll(parts);
            throw e;
        }
    }

    private static <T extends AutoCloseable> T started(Deque<AutoCloseable> parts, T part) {
        parts.push(part);
        return part;
    }

    URI uri() {
        return server.uri();
    }

    /** Completes when the ledger view stops: exceptionally when it failed, and with it what the admin shows. */
    CompletableFuture<Void> stopped() {
        return ledger.stopped();
    }

    @Override
    public void close() {
        closeAll(parts);
    }

    /** In reverse order of their start: the server first, the clients it uses after it. */
    private static void closeAll(Deque<AutoCloseable> parts) {
        RuntimeException failure = null;
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("the admin did not close cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
