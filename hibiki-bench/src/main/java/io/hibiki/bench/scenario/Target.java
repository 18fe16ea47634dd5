package io.hibiki.bench.scenario;

import io.hibiki.bench.load.ProcessStats;
import java.util.List;

/**
 * The server(s) under test: where to connect and which processes to measure.
 *
 * @param name  "hibiki" or "node"
 * @param host  address
 * @param ports one port per instance (two for the cluster scenario)
 * @param pids  the instances' process ids, for CPU and memory readings
 */
public record Target(String name, String host, List<Integer> ports, List<Long> pids) {

    public double cpuSeconds() {
        double sum = 0;
        for (long pid : pids) {
            sum += ProcessStats.cpuSeconds(pid);
        }
        return sum;
    }

    public double userCpuSeconds() {
        double sum = 0;
        for (long pid : pids) {
            sum += ProcessStats.userCpuSeconds(pid);
        }
        return sum;
    }

    public long rssBytes() {
        long sum = 0;
        for (long pid : pids) {
            sum += ProcessStats.rssBytes(pid);
        }
        return sum;
    }

    public int port(int i) {
        return ports.get(i % ports.size());
    }
}
