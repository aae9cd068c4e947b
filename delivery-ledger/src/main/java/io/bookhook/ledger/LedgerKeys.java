package io.bookhook.ledger;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.bookhook.schemas.DeliveryRecord;
import io.bookhook.schemas.DeliveryStatus;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The key layout of the ledger view's store: one key space with a one-byte prefix per kind; {@code T} is
 * {@code updated_at} encoded so that byte order is newest first, followed by the delivery id (ties: by id), which is
 * also what a paging cursor holds:
 * <ul>
 *   <li>{@code d} id → the record as JSON, without its payload (lists never read payloads);</li>
 *   <li>{@code p} id → the payload as JSON, when the record has one;</li>
 *   <li>{@code t} T, {@code s} status T, {@code e} endpoint 0 T, {@code f} endpoint 0 status T: every delivery, by status,
 *       by endpoint and by both, newest first, so a filtered page reads only what it shows;</li>
 *   <li>{@code a} appointment 0 T and {@code k} idempotency key 0 T: the few deliveries of one appointment or one key.</li>
 * </ul>
 * Index entries have empty values.
 */
final class LedgerKeys {

    static final byte[] EMPTY = new byte[0];

    private static final byte RECORD = 'd';
    private static final byte PAYLOAD = 'p';
    private static final byte BY_TIME = 't';
    private static final byte BY_STATUS = 's';
    private static final byte BY_ENDPOINT = 'e';
    private static final byte BY_ENDPOINT_STATUS = 'f';
    private static final byte BY_APPOINTMENT = 'a';
    private static final byte BY_KEY = 'k';
    private static final byte SEPARATOR = 0;
    private static final int TIME_BYTES = Long.BYTES + Integer.BYTES;

    private LedgerKeys() {
    }

    static byte[] record(String deliveryId) {
        return key(RECORD, deliveryId);
    }

    static byte[] payload(String deliveryId) {
        return key(PAYLOAD, deliveryId);
    }

    /** The prefix of every {@link #payload} key: the deliveries that hold a payload. */
    static byte[] payloads() {
        return new byte[] {PAYLOAD};
    }

    /** The delivery id of a {@link #record} or {@link #payload} key. */
    static String recordId(byte[] key) {
        return new String(key, 1, key.length - 1, UTF_8);
    }

    static byte[] byAppointment(String appointmentId) {
        return prefix(BY_APPOINTMENT, appointmentId);
    }

    static byte[] byIdempotencyKey(String idempotencyKey) {
        return prefix(BY_KEY, idempotencyKey);
    }

    /** The prefix of the entries of every delivery with {@code status} and of {@code endpoint} (a null filter: any), newest first. */
    static byte[] byFilter(DeliveryStatus status, String endpoint) {
        return status == null && endpoint == null ? new byte[] {BY_TIME}
                : endpoint == null ? new byte[] {BY_STATUS, (byte) status.ordinal()}
                : status == null ? prefix(BY_ENDPOINT, endpoint)
                : concat(prefix(BY_ENDPOINT_STATUS, endpoint), new byte[] {(byte) status.ordinal()});
    }

    /** Every index entry of {@code record}, stored under {@code deliveryId}. */
    static List<byte[]> indexKeys(String deliveryId, DeliveryRecord record) {
        byte[] position = concat(time(record.updatedAt()), deliveryId.getBytes(UTF_8));
        byte status = (byte) record.status().ordinal();
        List<byte[]> keys = new ArrayList<>(6);
        keys.add(concat(new byte[] {BY_TIME}, position));
        keys.add(concat(new byte[] {BY_STATUS, status}, position));
        keys.add(concat(prefix(BY_ENDPOINT, record.endpointName()), position));
        keys.add(concat(prefix(BY_ENDPOINT_STATUS, record.endpointName()), new byte[] {status}, position));
        keys.add(concat(prefix(BY_KEY, record.idempotencyKey()), position));
        if (record.appointmentId() != null) {
            keys.add(concat(prefix(BY_APPOINTMENT, record.appointmentId()), position));
        }
        return keys;
    }

    /** The position (time and id) of an index entry under {@code prefix}: what a cursor holds. */
    static byte[] position(byte[] key, int prefixLength) {
        return Arrays.copyOfRange(key, prefixLength, key.length);
    }

    /** The delivery id of an index entry under a prefix of {@code prefixLength} bytes. */
    static String idOf(byte[] key, int prefixLength) {
        int start = prefixLength + TIME_BYTES;
        return new String(key, start, key.length - start, UTF_8);
    }

    static String encodeCursor(byte[] position) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(position);
    }

    static byte[] decodeCursor(String cursor) {
        byte[] position;
        try {
            position = Base64.getUrlDecoder().decode(cursor);
        } catch (IllegalArgumentException e) {
            position = null;
        }
        if (position == null || position.length <= TIME_BYTES) {
            throw new IllegalArgumentException("not a cursor of this ledger view: '" + cursor + "' (use the 'next' of a previous page)");
        }
        return position;
    }

    /** The first key after {@code prefix + after}: where a scan that continues after {@code after} starts. */
    static byte[] after(byte[] prefix, byte[] after) {
        return concat(prefix, after, new byte[] {0});
    }

    /** The first key after every key that starts with {@code prefix}; null when there is none. */
    static byte[] successor(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] next = Arrays.copyOf(prefix, i + 1);
                next[i]++;
                return next;
            }
        }
        return null;
    }

    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** {@code updated_at} (none: the epoch) as 12 bytes whose unsigned order is newest first. */
    private static byte[] time(Instant updatedAt) {
        Instant at = updatedAt == null ? Instant.EPOCH : updatedAt;
        return ByteBuffer.allocate(TIME_BYTES).putLong(~(at.getEpochSecond() ^ Long.MIN_VALUE)).putInt(~at.getNano()).array();
    }

    private static byte[] key(byte kind, String id) {
        return concat(new byte[] {kind}, id.getBytes(UTF_8));
    }

    private static byte[] prefix(byte kind, String value) {
        return concat(new byte[] {kind}, value.getBytes(UTF_8), new byte[] {SEPARATOR});
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        ByteBuffer all = ByteBuffer.allocate(length);
        for (byte[] part : parts) {
            all.put(part);
        }
        return all.array();
    }
}
