package io.jflannel.agent.node;

import io.jflannel.agent.cli.AgentOptions;
import io.jflannel.agent.firewall.RecordingFirewall;
import io.jflannel.agent.host.CniConfig;
import io.jflannel.agent.metrics.AgentMetrics;
import io.jflannel.backend.ExternalInterface;
import io.jflannel.lease.memory.InMemoryLeaseRegistry;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.MacAddress;
import io.jflannel.netlink.Link;
import io.jflannel.netlink.RecordingNetlink;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One node for the lifecycle tests: {@link Node} on RecordingNetlink (the kernel, kept across
 * restarts of the node), InMemoryLeaseRegistry (etcd), RecordingFirewall and a clock the test can
 * move forward. No root needed.
 */
final class NodeHarness implements AutoCloseable {
  static final String VXLAN = "{\"Network\":\"10.244.0.0/16\",\"Backend\":{\"Type\":\"vxlan\"}}";

  final Path dir;
  final RecordingNetlink nl;
  final InMemoryLeaseRegistry etcd;
  final ExternalInterface ext;
  final AtomicLong skewMs = new AtomicLong();
  final List<RecordingFirewall> firewalls = new CopyOnWriteArrayList<>();
  final List<AgentState> states = new CopyOnWriteArrayList<>();
  final AgentMetrics metrics = new AgentMetrics();
  final Lifecycle lc = new Lifecycle(this::now);
  final CountDownLatch stop = new CountDownLatch(1);
  final List<String> fatal = new CopyOnWriteArrayList<>();
  final List<io.jflannel.backend.ExternalInterface> moved = new CopyOnWriteArrayList<>();
  Node node;
  Thread starter;
  volatile Throwable startFailure;

  NodeHarness(Path dir, RecordingNetlink nl, InMemoryLeaseRegistry etcd) {
    this.dir = dir;
    this.nl = nl;
    this.etcd = etcd;
    Link eth =
        nl.link("eth0")
            .orElseGet(() -> nl.addExisting("eth0", 1500, MacAddress.parse("02:00:00:00:00:01")));
    io.jflannel.netlink.Address own =
        new io.jflannel.netlink.Address(eth.index(), Ipv4Address.parse("198.18.0.1"), 24);
    if (!nl.addresses(eth.index()).contains(own)) {
      nl.appear(own); // the interface's address, as the kernel has it
    }
    this.ext =
        new ExternalInterface(
            eth,
            Ipv4Address.parse("198.18.0.1"),
            Ipv4Net.parse("198.18.0.0/24"),
            Ipv4Address.parse("198.18.0.1"));
    lc.addListener(
        (before, after) -> {
          if (before.state() != after.state()) {
            states.add(after.state());
          }
        });
  }

  long now() {
    return System.currentTimeMillis() + skewMs.get();
  }

  /** The node's part of the options of jflanneld run with these flags (the agent's parser). */
  static NodeSettings options(Path dir, boolean allowNetworkChange) {
    AgentOptions o =
        io.jflannel.agent.Jflanneld.parse(
            java.util.Map.of(),
            "--etcd-endpoints=http://in-memory:2379",
            "--iface=eth0",
            "--ip-masq",
            "--subnet-file=" + dir.resolve("subnet.env"),
            "--iptables-resync=1",
            "--healthz-ip=127.0.0.1",
            "--healthz-port=0",
            "--state-dir=" + dir.resolve("state"),
            "--reconcile-interval=1",
            "--admin-socket=",
            "--allow-network-change=" + allowNetworkChange,
            "--cni-conf-dir=" + dir.resolve("cni"));
    return new NodeSettings(o.node(), o.iface(), o.firewall(), CniConfig.of(o.cni()));
  }

  /** Starts the node on a thread of its own (start() blocks until etcd answers). */
  NodeHarness start(boolean allowNetworkChange) {
    Collaborators c =
        new Collaborators(
            nl,
            etcd,
            (rules, nftables) -> {
              RecordingFirewall f = new RecordingFirewall(rules);
              firewalls.add(f);
              return f;
            },
            this::now,
            ext);
    node =
        new Node(
            options(dir, allowNetworkChange),
            c,
            lc,
            metrics,
            stop,
            new NodeHooks(fatal::add, moved::add));
    starter =
        new Thread(
            () -> {
              try {
                node.start();
              } catch (Throwable t) {
                startFailure = t;
                if (!(t instanceof InterruptedException)) {
                  t.printStackTrace(); // in the test's output: a failed start is never silent
                }
              }
            },
            "test-node-start");
    starter.start();
    return this;
  }

  StatusSnapshot status() {
    return lc.current();
  }

  @Override
  public void close() throws InterruptedException {
    stop.countDown();
    if (node != null) {
      node.close();
    }
    if (starter != null) {
      starter.join(5000);
    }
  }
}
