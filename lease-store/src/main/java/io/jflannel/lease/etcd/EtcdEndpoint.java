package io.jflannel.lease.etcd;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * One etcd client URL in every form etcdctl and flanneld take: {@code http(s)://host:port}, {@code
 * http(s)://198.18.0.250:2379}, {@code http(s)://[fd00::1]:2379}, the port defaulting to 2379.
 *
 * @param scheme {@code http} or {@code https}
 * @param host a name, an IPv4 address, or an IPv6 address without brackets
 * @param port the TCP port
 */
public record EtcdEndpoint(String scheme, String host, int port) {

  /**
   * Parses one URL.
   *
   * @throws IllegalArgumentException one line naming the URL and what is wrong with it
   */
  public static EtcdEndpoint parse(String text) {
    String t = text.strip();
    String bad = "etcd endpoint \"" + text + "\": ";
    if (!t.contains("://")) {
      throw new IllegalArgumentException(bad + "must start with http:// or https://");
    }
    URI u;
    try {
      u = new URI(t);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          bad + "not a URL (" + e.getReason() + "); write http://HOST:2379 or http://[IPv6]:2379");
    }
    String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
    if (!"http".equals(scheme) && !"https".equals(scheme)) {
      throw new IllegalArgumentException(bad + "must start with http:// or https://");
    }
    String host = u.getHost();
    if (host == null || host.isEmpty()) {
      // an unbracketed IPv6 address leaves the URI with no host: say how to write it
      throw new IllegalArgumentException(
          bad
              + (u.getRawAuthority() != null
                      && u.getRawAuthority().chars().filter(c -> c == ':').count() > 1
                  ? "an IPv6 address goes in brackets: "
                      + scheme
                      + "://["
                      + u.getRawAuthority()
                      + "]"
                  : "no host"));
    }
    if (u.getRawUserInfo() != null) {
      throw new IllegalArgumentException(bad + "user info in the URL (use --etcd-username)");
    }
    String path = u.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || u.getRawQuery() != null
        || u.getRawFragment() != null) {
      throw new IllegalArgumentException(
          bad + "has a path or query; write " + scheme + "://HOST:PORT");
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port = u.getPort() < 0 ? 2379 : u.getPort();
    if (port == 0 || port > 65535) {
      throw new IllegalArgumentException(bad + "port " + port + " is out of range");
    }
    return new EtcdEndpoint(scheme, host, port);
  }

  /** Every URL of a list (each element may itself hold comma-separated URLs), duplicates once. */
  public static List<EtcdEndpoint> parseAll(List<String> urls) {
    LinkedHashSet<EtcdEndpoint> out = new LinkedHashSet<>();
    for (String u : urls) {
      for (String one : u.split(",")) {
        if (!one.isBlank()) {
          out.add(parse(one));
        }
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("no etcd endpoints given");
    }
    if (out.stream().map(EtcdEndpoint::scheme).distinct().count() > 1) {
      throw new IllegalArgumentException(
          "etcd endpoints mix http:// and https:// (" + urls + "): use one scheme for all");
    }
    return new ArrayList<>(out);
  }

  /** True when the host is an IPv6 address. */
  public boolean ipv6() {
    return host.indexOf(':') >= 0;
  }

  /** {@code host:port}, {@code [v6]:port} for an IPv6 address. */
  public String hostPort() {
    return (ipv6() ? "[" + host + "]" : host) + ":" + port;
  }

  /**
   * jetcd's gRPC target for {@code endpoints}: {@code ip:///h1:p1,h2:p2}, an IPv6 address's
   * brackets percent-encoded (jetcd's own target puts them raw, which is no valid URI: "Illegal
   * character in path"); its resolver decodes the path and reads {@code [v6]:port} back.
   */
  public static String target(List<EtcdEndpoint> endpoints) {
    StringBuilder b = new StringBuilder("ip:///");
    for (int i = 0; i < endpoints.size(); i++) {
      b.append(i == 0 ? "" : ",")
          .append(endpoints.get(i).hostPort().replace("[", "%5B").replace("]", "%5D"));
    }
    return b.toString();
  }

  /** The URL in its normal form. */
  @Override
  public String toString() {
    return scheme + "://" + hostPort();
  }
}
