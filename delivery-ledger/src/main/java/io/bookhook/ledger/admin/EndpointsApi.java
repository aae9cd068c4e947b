package io.bookhook.ledger.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.bookhook.ledger.EndpointControls;
import io.bookhook.ledger.EndpointView;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.OperatorException;
import io.bookhook.runtime.Exchanges;
import io.bookhook.schemas.EndpointControl;
import io.bookhook.schemas.Json;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/endpoints}: each endpoint's filters and health (as {@code bookhook endpoints} prints them), and pause or
 * resume one, through {@code bookhook.endpoint-control} like the CLI.
 */
final class EndpointsApi implements HttpHandler {

    static final Pattern ACTION = Pattern.compile("/api/endpoints/([^/]+)/(pause|resume)");

    private final LedgerView ledger;
    private final EndpointView endpoints;
    private final EndpointControls controls;
    private final Clock clock;

    EndpointsApi(LedgerView ledger, EndpointView endpoints, EndpointControls controls, Clock clock) {
        this.ledger = ledger;
        this.endpoints = endpoints;
        this.controls = controls;
        this.clock = clock;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Matcher action = ACTION.matcher(path);
        try {
            if (method.equals("GET") && path.equals("/api/endpoints")) {
                list(exchange);
            } else if (method.equals("POST") && action.matches()) {
                if (exchange.getRequestHeaders().getFirst(DeliveriesApi.ACTION_HEADER) == null) {
                    Exchanges.error(exchange, 403, "actions need the " + DeliveriesApi.ACTION_HEADER + " header (a guard against cross-site posts)");
                    return;
                }
                String name = Exchanges.decode(action.group(1));
                EndpointControl control = action.group(2).equals("pause") ? controls.pause(name) : controls.resume(name);
                Exchanges.json(exchange, 202, Map.of("endpoint", control.endpoint(), "paused", control.paused()));
            } else {
                Exchanges.error(exchange, 404, "no such API: " + method + " " + path);
            }
        } catch (OperatorException e) {
            Exchanges.error(exchange, e.kind() == OperatorException.Kind.INVALID ? 400 : 503, e.getMessage());
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        if (!ledger.isCaughtUp()) {
            throw OperatorException.unavailable("the ledger view is not ready yet: waiting for " + ledger.waitingFor(), null);
        }
        ArrayNode all = Json.mapper().createArrayNode();
        for (EndpointView.Overview e : endpoints.overview(ledger.index(), clock.instant())) {
            ObjectNode node = all.addObject().put("name", e.name()).put("target", e.target()).put("circuit", e.circuit())
                    .put("paused", e.paused()).put("in_flight", e.inFlight()).put("waiting", e.waiting()).put("spilled", e.spilled())
                    .put("sinks", e.liveInstances()).put("delivered", e.delivered()).put("failed", e.failed()).put("pending", e.pending())
                    .put("last_error", e.lastError()).put("last_error_at", e.lastErrorAt() == null ? null : e.lastErrorAt().toString());
            ArrayNode events = node.putArray("events");
            e.events().forEach(events::add);
            ArrayNode salons = node.putArray("salons");
            e.salons().forEach(salons::add);
        }
        Exchanges.json(exchange, 200, Map.of("endpoints", all));
    }
}
