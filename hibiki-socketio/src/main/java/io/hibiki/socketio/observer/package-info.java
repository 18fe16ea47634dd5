/** What a server reports about itself as it works: connections, events and acknowledgements, for metrics. */
package io.hibiki.socketio.observer;
