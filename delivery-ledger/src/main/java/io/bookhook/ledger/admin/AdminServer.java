package io.bookhook.ledger.admin;

import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.EndpointControls;
import io.bookhook.ledger.EndpointView;
import io.bookhook.ledger.LedgerView;
import io.bookhook.runtime.HealthAndMetrics;
import io.bookhook.runtime.HttpEndpoints;
import io.bookhook.runtime.Readiness;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * The admin port: the page, the JSON API, {@code /metrics} and the health checks. Ready once the ledger view
 * has caught up, so its answers are not stale. The registry comes from outside, so stages running in the same process (the demo) publish on the same port.
 * The JSON API answers only with a token of {@link AdminAccess}; the page's files (which hold no data), the health
 * checks (for probes) and {@code /metrics} (counts, no ids or payloads; scraped like every stage's) need none.
 */
public final class AdminServer implements AutoCloseable {

    private final HttpEndpoints endpoints;

    private AdminServer(HttpEndpoints endpoints) {
        this.endpoints = endpoints;
    }

    public static AdminServer start(InetSocketAddress address, AdminAccess access, LedgerView view, DeliveryActions actions,
                                    EndpointView endpoints, EndpointControls controls, PrometheusMeterRegistry registry) {
        if (!access.mayListenOn(address)) {
            throw new IllegalArgumentException("an admin without a token listens on loopback only, not on " + address);
        }
        LedgerMetrics.bind(registry, view);
        HealthAndMetrics health = new HealthAndMetrics(new Readiness() {
            @Override
            public boolean ready() {
                return view.isCaughtUp();
            }

            @Override
            public String waitingFor() {
                return view.waitingFor();
            }
        }, registry);
        OperatorAudit audit = new OperatorAudit();
        return new AdminServer(HttpEndpoints.start(address, "bookhook-admin-http", 4, Map.of(
                "/", new StaticFiles(),
                "/api/", new AccessGuard(access, audit, new DeliveriesApi(view, actions, registry)),
                "/api/endpoints", new AccessGuard(access, audit, new EndpointsApi(view, endpoints, controls, Clock.systemUTC())),
                "/metrics", health::metrics,
                "/health/live", health::live,
                "/health/ready", health::ready)));
    }

    public int port() {
        return endpoints.address().getPort();
    }

    /** The base URL, with a loopback host when the server listens on every interface. */
    public URI uri() {
        InetSocketAddress address = endpoints.address();
        String host = address.getAddress().isAnyLocalAddress() ? "127.0.0.1" : address.getHostString();
        return URI.create("http://" + host + ":" + port() + "/");
    }

    @Override
    public void close() {
        endpoints.close();
    }
}
