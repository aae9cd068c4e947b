package io.bookhook.sink;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides which attempts to make now: due retries become ready; each endpoint reads back what it spilled once it has
 * room, parks what may wait long while it is unavailable, and takes ready deliveries while it has slots, its rate cap
 * allows, and its circuit lets it.
 */
final class AttemptStarter {

    private final EndpointQueues endpoints;
    private final HeldDeliveries held;
    private final DueQueue due;
    private final DeliveryTransitions transitions;
    private final Clock clock;

    AttemptStarter(EndpointQueues endpoints, HeldDeliveries held, DueQueue due, DeliveryTransitions transitions, Clock clock) {
        this.endpoints = endpoints;
        this.held = held;
        this.due = due;
        this.transitions = transitions;
        this.clock = clock;
    }

    List<DeliveryEngine.Attempt> startable() {
        Instant now = clock.instant();
        for (Delivery d : due.takeDue(now)) {
            d.state = Delivery.State.READY;
            endpoints.of(d).ready.addLast(d);
        }
        List<DeliveryEngine.Attempt> attempts = new ArrayList<>();
        for (EndpointQueue endpoint : endpoints.all()) {
            if (!endpoint.spilled.isEmpty() && endpoint.held < endpoints.window(endpoint) / 2) {
                for (int partition : List.copyOf(endpoint.spilled)) {
                    transitions.readBack(endpoint, partition, endpoints.room(endpoint));
                }
            }
            if (endpoint.unavailable()) {
                // Its deliveries may wait a long time: make them durable, so their events' offsets need not wait with them.
                for (Delivery d : endpoint.ready) {
                    if (d.state == Delivery.State.READY && !d.parked) {
                        transitions.parkWithFollowers(d);
                    }
                }
            }
            while (!endpoint.paused && endpoint.hasSlot() && !endpoint.ready.isEmpty()) {
                Delivery d = endpoint.ready.peekFirst();
                if (d.state != Delivery.State.READY) {
                    endpoint.ready.pollFirst();
                    continue;
                }
                if (!endpoint.rate.available(now) || !endpoint.circuit.tryAcquirePermission()) {
                    break;
                }
                endpoint.rate.take();
                endpoint.ready.pollFirst();
                attempts.add(attempt(endpoint, d));
            }
        }
        return attempts;
    }

    private DeliveryEngine.Attempt attempt(EndpointQueue endpoint, Delivery d) {
        held.loadBody(d);
        d.state = Delivery.State.IN_FLIGHT;
        endpoint.inFlight++;
        return new DeliveryEngine.Attempt(d, endpoint.endpoint,
                new WebhookRequest(endpoint.endpoint.url(), d.body, d.key, d.id, d.attempts + 1));
    }
}
