package io.bookhook.ledger.admin;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.bookhook.runtime.Exchanges;
import java.io.IOException;
import java.util.Optional;

/**
 * Lets a request through to the API only with a token of this admin: none or a wrong one is answered 401 with
 * {@code WWW-Authenticate: Bearer}; a read-only token may read (GET) but not act (POST: retry, resend, pause, resume), 403.
 * Every request that acts, refused or not, leaves its {@link OperatorAudit} line once it is answered.
 */
final class AccessGuard implements HttpHandler {

    private static final String REALM = "Bearer realm=\"bookhook admin\"";

    private final AdminAccess access;
    private final OperatorAudit audit;
    private final HttpHandler api;

    AccessGuard(AdminAccess access, OperatorAudit audit, HttpHandler api) {
        this.access = access;
        this.audit = audit;
        this.api = api;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Optional<AdminAccess.Holder> holder = access.holderOf(authorization);
        if (holder.isEmpty()) {
            // RFC 6750: a token that was sent and refused is an invalid_token; no token at all gets the bare challenge.
            exchange.getResponseHeaders().set("WWW-Authenticate", authorization == null ? REALM : REALM + ", error=\"invalid_token\"");
            Exchanges.error(exchange, 401, authorization == null ? "this admin needs a token: Authorization: Bearer <token>"
                    : "the token is not one of this admin's");
            return;
        }
        String method = exchange.getRequestMethod();
        boolean acts = !(method.equals("GET") || method.equals("HEAD"));
        try {
            if (acts && !holder.get().mayAct()) {
                Exchanges.error(exchange, 403, "a read-only token cannot retry, resend, pause or resume: that needs the operator token");
            } else {
                api.handle(exchange);
            }
        } finally {
            if (acts) {
                audit.record(exchange, holder.get());
            }
        }
    }
}
