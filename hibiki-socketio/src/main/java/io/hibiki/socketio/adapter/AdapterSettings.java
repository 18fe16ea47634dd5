package io.hibiki.socketio.adapter;

import java.time.Duration;

/**
 * Server settings an adapter must honour.
 *
 * @param recoveryWindow how long dropped sessions and their missed packets are kept, or {@code null} when
 *                       connection state recovery is off
 */
public record AdapterSettings(Duration recoveryWindow) {
}
