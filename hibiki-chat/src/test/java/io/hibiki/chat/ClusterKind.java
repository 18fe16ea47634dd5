package io.hibiki.chat;

/** How the chat instances of a multi-instance test share live traffic: each such test runs with both adapters. */
enum ClusterKind {
    /** The Redis pub/sub adapter on the machine's Redis. */
    REDIS("REDIS_URL=redis://127.0.0.1:6379"),
    /** The PostgreSQL adapter on the instances' own database: no Redis at all. */
    POSTGRES("CLUSTER=postgres");

    /** The instance setting that selects it, as {@code NAME=value}. */
    final String setting;

    ClusterKind(String setting) {
        this.setting = setting;
    }
}
