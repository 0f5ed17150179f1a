package io.jflannel.netlink;

/**
 * Run without CAP_NET_ADMIN by {@link MonitorAndTunIT}: prints the errors it gets, exits with their
 * count.
 */
public final class NetlinkProbe {
  private NetlinkProbe() {}

  /** Entry point. */
  public static void main(String[] args) {
    int failures = 0;
    try (Netlink nl = Netlink.open()) {
      nl.links();
      try {
        nl.createLink(LinkSpec.bridge("probe0"));
      } catch (NetlinkException e) {
        System.out.println(e.getMessage());
        failures++;
      }
    } catch (NetlinkException e) {
      System.out.println("open: " + e.getMessage());
      failures++;
    }
    try (TunDevice t = TunDevice.open("probe1", 0)) {
      System.out.println("unexpected: opened " + t.name());
    } catch (NetlinkException e) {
      System.out.println(e.getMessage());
      failures++;
    }
    System.exit(failures + 1);
  }
}
