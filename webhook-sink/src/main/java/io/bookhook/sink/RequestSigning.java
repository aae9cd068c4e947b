package io.bookhook.sink;

import io.bookhook.schemas.signing.MakeSignature;
import io.bookhook.schemas.signing.StandardWebhookSigner;
import okhttp3.Request;

/** Adds the signature headers the {@link SignatureMode} asks for; the body bytes signed are the bytes sent. */
final class RequestSigning {

    private final SignatureMode mode;
    private final MakeSignature make;
    private final StandardWebhookSigner standard;

    /** {@code make} and {@code standard} may be null when the mode does not use them. */
    RequestSigning(SignatureMode mode, MakeSignature make, StandardWebhookSigner standard) {
        if (mode.standard() && standard == null || mode.make() && make == null) {
            throw new IllegalArgumentException("signature mode " + mode + " needs its signers");
        }
        this.mode = mode;
        this.make = make;
        this.standard = standard;
    }

    void sign(Request.Builder http, WebhookRequest request) {
        if (mode.make()) {
            http.header(MakeSignature.HEADER, make.sign(request.body()));
        }
        if (mode.standard()) {
            StandardWebhookSigner.Headers headers = standard.sign(DeliveryIds.webhookId(request.idempotencyKey()), request.body());
            http.header(StandardWebhookSigner.ID_HEADER, headers.id())
                    .header(StandardWebhookSigner.TIMESTAMP_HEADER, Long.toString(headers.timestamp()))
                    .header(StandardWebhookSigner.SIGNATURE_HEADER, headers.signature());
        }
    }
}
