package io.bookhook.ledger.admin;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.bookhook.ledger.DeliveryActions;
import io.bookhook.ledger.LedgerIndex;
import io.bookhook.ledger.LedgerView;
import io.bookhook.ledger.OperatorException;
import io.bookhook.ledger.RequestPublisher;
import io.bookhook.runtime.Exchanges;
import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import io.bookhook.schemas.EventType;
import io.bookhook.schemas.Json;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JSON API under {@code /api}: list and read deliveries from the ledger view, ask for a retry or a resend.
 * {@code GET /api/deliveries} answers one page, newest first ({@code limit}, default 200, at most 1000), with
 * {@code total} (deliveries matching the filters) and {@code next}, the {@code before} of the next page (null on the last).
 * Actions go through {@link DeliveryActions}, so they refuse exactly what the CLI refuses.
 */
final class DeliveriesApi implements HttpHandler {

    /** Browsers cannot add this header to a cross-site form post without a CORS preflight we never grant: a CSRF guard. */
    static final String ACTION_HEADER = "X-Bookhook-Action";

    private static final Pattern ONE = Pattern.compile("/api/deliveries/([^/]+)");
    static final Pattern RETRY = Pattern.compile("/api/deliveries/([^/]+)/retry");
    static final Pattern RESEND = Pattern.compile("/api/appointments/([^/]+)/resend");

    /** Deliveries per page of {@code GET /api/deliveries} unless {@code limit} says otherwise, and the most it may say. */
    static final int DEFAULT_LIMIT = 200;
    static final int MAX_LIMIT = 1000;

    private final LedgerView view;
    private final DeliveryActions actions;
    private final PendingRequests pending = new PendingRequests();
    private final MeterRegistry registry;

    DeliveriesApi(LedgerView view, DeliveryActions actions, MeterRegistry registry) {
        this.view = view;
        this.actions = actions;
        this.registry = registry;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            route(exchange);
        } catch (OperatorException e) {
            Exchanges.error(exchange, statusOf(e.kind()), e.getMessage());
        } catch (IllegalArgumentException e) {
            Exchanges.error(exchange, 400, e.getMessage());
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        Matcher retry = RETRY.matcher(path);
        Matcher resend = RESEND.matcher(path);
        Matcher one = ONE.matcher(path);
        if (method.equals("POST") && retry.matches()) {
            String deliveryId = Exchanges.decode(retry.group(1));
            act(exchange, () -> actions.retry(deliveryId));
        } else if (method.equals("POST") && resend.matches()) {
            String appointmentId = Exchanges.decode(resend.group(1));
            Map<String, String> query = Exchanges.query(exchange);
            EventType eventType = query.get("event") == null ? null : EventType.fromWireName(query.get("event"));
            act(exchange, () -> actions.resend(appointmentId, eventType, query.get("endpoint")));
        } else if (method.equals("GET") && path.equals("/api/deliveries")) {
            list(exchange);
        } else if (method.equals("GET") && one.matches()) {
            one(exchange, Exchanges.decode(one.group(1)));
        } else {
            Exchanges.error(exchange, 404, "no such API: " + method + " " + path);
        }
    }

    private void list(HttpExchange exchange) throws IOException {
        requireReady();
        Map<String, String> query = Exchanges.query(exchange);
        DeliveryStatus status = query.containsKey("status") ? DeliveryStatus.fromWireName(query.get("status")) : null;
        int limit = limit(query.get("limit"));
        LedgerIndex.Page page = view.index().page(status, query.get("appointment"), query.get("endpoint"), query.get("before"), limit);
        List<ObjectNode> deliveries = page.deliveries().stream().map(this::summary).toList();
        Map<String, Object> counts = new LinkedHashMap<>();
        view.index().countsByStatus().forEach((each, n) -> counts.put(each.wireName(), n));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("deliveries", deliveries);
        body.put("total", page.total());
        body.put("next", page.next());
        body.put("counts", counts);
        Exchanges.json(exchange, 200, body);
    }

    /** The page size asked for: {@value #DEFAULT_LIMIT} when not given, at most {@value #MAX_LIMIT}. */
    private static int limit(String raw) {
        if (raw == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(raw);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("limit must be a whole number from 1 to " + MAX_LIMIT + ", not '" + raw + "'");
    }

    private void one(HttpExchange exchange, String deliveryId) throws IOException {
        requireReady();
        DeliveryRecord delivery = view.index().resolve(deliveryId)
                .orElseThrow(() -> OperatorException.notFound("no delivery '" + deliveryId + "' in the ledger"));
        ObjectNode body = summary(delivery);
        body.set("payload", delivery.payload());
        body.set("same_key", Json.mapper().valueToTree(view.index().byIdempotencyKey(delivery.idempotencyKey()).stream()
                .filter(other -> !other.deliveryId().equals(delivery.deliveryId())).map(this::summary).toList()));
        Exchanges.json(exchange, 200, body);
    }

    private void act(HttpExchange exchange, java.util.function.Supplier<RequestPublisher.Submitted> action) throws IOException {
        if (exchange.getRequestHeaders().getFirst(ACTION_HEADER) == null) {
            Exchanges.error(exchange, 403, "actions need the " + ACTION_HEADER + " header (a guard against cross-site posts)");
            return;
        }
        requireReady();
        RequestPublisher.Submitted submitted = action.get();
        pending.add(submitted.request());
        registry.counter("bookhook.operator.requests", "action", submitted.request().action().name().toLowerCase(java.util.Locale.ROOT)).increment();
        Exchanges.json(exchange, 202, Map.of("status", "requested", "request", submitted.request(),
                "partition", submitted.partition(), "offset", submitted.offset()));
    }

    /** A delivery without its payload (lists stay small), plus the request this admin made that the ledger does not show yet. */
    private ObjectNode summary(DeliveryRecord delivery) {
        ObjectNode node = Json.mapper().valueToTree(delivery);
        node.put("endpoint", delivery.endpointName());
        node.remove("payload");
        pending.outstandingFor(delivery).ifPresent(request -> node.set("requested", Json.mapper().valueToTree(request)));
        return node;
    }

    private void requireReady() {
        if (!view.isCaughtUp()) {
            throw OperatorException.unavailable("the ledger view is not ready yet: waiting for " + view.waitingFor(), null);
        }
    }

    private static int statusOf(OperatorException.Kind kind) {
        return switch (kind) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case INVALID -> 400;
            case UNAVAILABLE -> 503;
        };
    }
}
