package io.bookhook.ledger.admin;

import io.bookhook.ledger.BrokerFixture;
import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.DeliveryRequests;
import io.bookhook.ledger.EndpointControls;
import io.bookhook.ledger.EndpointView;
import io.bookhook.ledger.LedgerView;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;

/** An admin server on a free loopback port, over a real ledger view and request producer on the shared broker. */
final class AdminFixture implements AutoCloseable {

    final BrokerFixture broker = new BrokerFixture();
    final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    final LedgerView view = LedgerView.start(broker.client(), broker.topics.deliveryLedger());
    final DeliveryRequests requests = new DeliveryRequests(broker.client(), broker.topics.deliveryRequests());
    final EndpointView endpoints = EndpointView.start(broker.client(), broker.topics);
    final EndpointControls controls = new EndpointControls(broker.client(), broker.topics.endpointControl(), Clock.systemUTC());
    final AdminServer server;

    /** Tokens only tests know; long and random-looking, so finding one in a log line cannot be chance. */
    static final String OPERATOR_TOKEN = "operator-3b9f1c7e-52d4-4e0a-9a61-token";
    static final String READ_TOKEN = "read-8e2a6d10-7c3b-4f95-b2e4-token";

    /** Without tokens, as the demo runs it on loopback. */
    AdminFixture() {
        this(AdminAccess.open());
    }

    AdminFixture(AdminAccess access) {
        server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), access, view,
                new DeliveryActions(view.index(), requests, Clock.systemUTC()), endpoints, controls, registry);
    }

    /** With the operator and the read-only token, as an admin beyond loopback runs. */
    static AdminFixture withTokens() {
        return new AdminFixture(AdminAccess.withTokens(OPERATOR_TOKEN, java.util.Optional.of(READ_TOKEN)));
    }

    URI uri(String path) {
        return server.uri().resolve(path);
    }

    @Override
    public void close() {
        server.close();
        controls.close();
        endpoints.close();
        requests.close();
        view.close();
    }
}
