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
    final AdminServer server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), view,
            new DeliveryActions(view.index(), requests, Clock.systemUTC()), endpoints, controls, registry);

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
