package io.bookhook.ledger.admin;

import com.sun.net.httpserver.HttpExchange;
import io.bookhook.runtime.Exchanges;
import java.util.Map;
import java.util.regex.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line on the logger {@value #LOGGER} per action asked of the admin (retry, resend, pause, resume), once it is
 * answered: the action, its target, the kind of token that asked, the remote address and the answer's status.
 * Never the token. Ids come from the request's path, so they are cut short and stripped of control characters:
 * nobody can forge a second log line through them.
 */
final class OperatorAudit {

    static final String LOGGER = "io.bookhook.audit";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final int MAX_TARGET = 200;

    void record(HttpExchange exchange, AdminAccess.Holder holder) {
        Described described = describe(exchange);
        int status = exchange.getResponseCode();
        LOG.info("admin action={} target={} token={} remote={} status={}", described.action(), described.target(), holder.auditName(),
                exchange.getRemoteAddress().getAddress().getHostAddress(), status < 0 ? "none" : Integer.toString(status));
    }

    /** The action and its target, matched as the APIs route them; any other request by its method and path. */
    private static Described describe(HttpExchange exchange) {
        String path = exchange.getRequestURI().getRawPath();
        Matcher retry = DeliveriesApi.RETRY.matcher(path);
        if (retry.matches()) {
            return new Described("retry", "delivery:" + clean(Exchanges.decode(retry.group(1))));
        }
        Matcher resend = DeliveriesApi.RESEND.matcher(path);
        if (resend.matches()) {
            Map<String, String> query = Exchanges.query(exchange);
            StringBuilder target = new StringBuilder("appointment:").append(Exchanges.decode(resend.group(1)));
            if (query.containsKey("event")) {
                target.append(",event:").append(query.get("event"));
            }
            if (query.containsKey("endpoint")) {
                target.append(",endpoint:").append(query.get("endpoint"));
            }
            return new Described("resend", clean(target.toString()));
        }
        Matcher endpoint = EndpointsApi.ACTION.matcher(path);
        if (endpoint.matches()) {
            return new Described(endpoint.group(2), "endpoint:" + clean(Exchanges.decode(endpoint.group(1))));
        }
        return new Described(clean(exchange.getRequestMethod()), clean(path));
    }

    private record Described(String action, String target) {
    }

    private static String clean(String text) {
        String visible = text.codePoints().map(c -> Character.isISOControl(c) || Character.isWhitespace(c) ? '_' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return visible.length() <= MAX_TARGET ? visible : visible.substring(0, MAX_TARGET) + "…";
    }
}
