/**
 * The Socket.IO admin UI for hibiki-socketio: {@link io.hibiki.adminui.AdminUi#instrument} is Node's
 * {@code instrument()} from {@code @socket.io/admin-ui} 0.5, and {@link io.hibiki.adminui.AdminUiFiles} serves the
 * UI from this jar.
 */
package io.hibiki.adminui;
