package io.hibiki.redis;

import io.lettuce.core.RedisURI;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an adapter's Redis is: one server ({@code redis://host:port}, {@code rediss://…}) or the seed nodes of a
 * Redis Cluster ({@code redis-cluster://host1:port1,host2:port2}, {@code rediss-cluster://…} for TLS; credentials
 * as in a Redis URI, {@code redis-cluster://user:password@host1:port1,…}). Any one reachable seed is enough: the
 * client learns the rest of the cluster from it.
 *
 * @param nodes   the server, or the cluster's seed nodes
 * @param cluster whether it is a Redis Cluster
 * @param address the host:port list, without credentials, for logs
 */
record RedisTarget(List<RedisURI> nodes, boolean cluster, String address) {

    private static final String CLUSTER = "redis-cluster://";
    private static final String CLUSTER_TLS = "rediss-cluster://";

    static RedisTarget parse(String uri) {
        boolean tls = uri.startsWith(CLUSTER_TLS);
        if (!tls && !uri.startsWith(CLUSTER)) {
            RedisURI single = RedisURI.create(uri);
            return new RedisTarget(List.of(single), false, single.getHost() + ":" + single.getPort());
        }
        String rest = uri.substring(tls ? CLUSTER_TLS.length() : CLUSTER.length());
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash); // a cluster has one database; a path would mean nothing
        }
        String credentials = null;
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            credentials = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        List<RedisURI> nodes = new ArrayList<>();
        for (String hostPort : rest.split(",")) {
            String hp = hostPort.trim();
            if (hp.isEmpty()) {
                continue;
            }
            int colon = hp.lastIndexOf(':');
            if (colon <= 0 || colon == hp.length() - 1) {
                throw new IllegalArgumentException("Redis Cluster node without host:port in " + redacted(uri));
            }
            int port;
            try {
                port = Integer.parseInt(hp.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Redis Cluster node with a bad port in " + redacted(uri), e);
            }
            String host = hp.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1); // an IPv6 literal
            }
            RedisURI.Builder b = RedisURI.builder().withHost(host).withPort(port).withSsl(tls);
            if (credentials != null) {
                int colonInCredentials = credentials.indexOf(':');
                if (colonInCredentials < 0) {
                    b.withPassword(credentials.toCharArray());
                } else if (colonInCredentials == 0) {
                    b.withPassword(credentials.substring(1).toCharArray());
                } else {
                    b.withAuthentication(credentials.substring(0, colonInCredentials),
                            credentials.substring(colonInCredentials + 1));
                }
            }
            nodes.add(b.build());
        }
        if (nodes.isEmpty()) {
            throw new IllegalArgumentException("Redis Cluster URI without nodes: " + redacted(uri));
        }
        return new RedisTarget(List.copyOf(nodes), true, rest);
    }

    private static String redacted(String uri) {
        int at = uri.lastIndexOf('@');
        int scheme = uri.indexOf("://");
        return at > scheme && scheme >= 0 ? uri.substring(0, scheme + 3) + "***" + uri.substring(at) : uri;
    }
}
