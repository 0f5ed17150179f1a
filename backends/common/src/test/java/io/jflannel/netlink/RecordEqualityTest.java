package io.jflannel.netlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.jflannel.net.IpAddress;
import io.jflannel.net.IpNet;
import io.jflannel.net.Ipv4Address;
import io.jflannel.net.Ipv4Net;
import io.jflannel.net.Ipv6Address;
import io.jflannel.net.Ipv6Net;
import io.jflannel.net.MacAddress;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The records whose equals and hashCode are written out by hand (kernel objects, their keys,
 * addresses) behave as generated ones would: equal when every component is, unequal when any one
 * differs (null included), equal hash codes for equal values.
 */
class RecordEqualityTest {
  static final Ipv4Address IP = Ipv4Address.parse("198.18.0.5");
  static final Ipv4Net NET = Ipv4Net.parse("10.244.5.0/24");
  static final MacAddress MAC = MacAddress.parse("0a:58:0a:f4:05:00");
  static final Ipv6Address IP6 = Ipv6Address.parse("fd00:198:18::5");
  static final Ipv6Net NET6 = Ipv6Net.parse("fc00:0:0:5::/64");

  static Stream<Record> samples() {
    return Stream.of(
        IP,
        NET,
        Route.via(NET, IP, 3, true),
        Route.blackhole(NET, 1000),
        new Route.Key(254, NET, 0),
        Neighbour.permanent(4, IP, MAC),
        new Neighbour(4, IP, null, 2),
        new Neighbour.Key(4, IP),
        new FdbEntry(4, MAC, IP),
        new Address(4, IP, 24),
        IP6,
        NET6,
        Route.via(NET6, NET6.address(), 5, true),
        new Route.Key(254, NET6, 0),
        Neighbour.permanent(5, NET6.address(), MAC),
        new FdbEntry(5, MAC, IP6),
        new Address(5, IP6, 128));
  }

  @ParameterizedTest
  @MethodSource("samples")
  void equalWhenEveryComponentIsAndUnequalWhenAnyDiffers(Record r) throws Exception {
    RecordComponent[] cs = r.getClass().getRecordComponents();
    Object[] values = new Object[cs.length];
    for (int i = 0; i < cs.length; i++) {
      values[i] = cs[i].getAccessor().invoke(r);
    }
    Record same = make(r, values);
    assertThat(same).isEqualTo(r).isNotSameAs(r);
    assertThat(same.hashCode()).isEqualTo(r.hashCode());
    assertThat(r).isNotEqualTo(null).isNotEqualTo("not a record");
    for (int i = 0; i < cs.length; i++) {
      for (Object other : others(cs[i].getType(), values[i])) {
        Object[] changed = values.clone();
        changed[i] = other;
        Record c;
        try {
          c = make(r, changed);
        } catch (java.lang.reflect.InvocationTargetException e) {
          assertThat(other).as("only a null may be refused: %s", e.getCause()).isNull();
          continue; // the record refuses a null there: nothing to compare
        }
        assertThat(c).as("%s with %s = %s", r, cs[i].getName(), other).isNotEqualTo(r);
        assertThat(r).as("%s against %s", r, c).isNotEqualTo(c);
      }
    }
  }

  private static Record make(Record r, Object[] values) throws Exception {
    Class<?>[] types =
        Stream.of(r.getClass().getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class<?>[]::new);
    Constructor<?> k = r.getClass().getDeclaredConstructor(types);
    return (Record) k.newInstance(values);
  }

  /** Values of {@code type} different from {@code v} (a null among them for references). */
  private static List<Object> others(Class<?> type, Object v) {
    if (type == int.class) {
      return List.of((Integer) v + 1);
    }
    if (type == boolean.class) {
      return List.of(!(Boolean) v);
    }
    if (type == long.class) {
      return List.of((Long) v + 1);
    }
    Object other;
    if (v instanceof Ipv6Address a) {
      other = new Ipv6Address(a.hi() + 1, a.lo()); // a /64 still
    } else if (v instanceof Ipv6Net) {
      other = Ipv6Net.parse("fc00:0:0:6::/64");
    } else if (type == IpAddress.class && v == null) {
      other = IP;
    } else if (type == Ipv4Address.class || type == IpAddress.class) {
      other = v == null ? IP : new Ipv4Address(((Ipv4Address) v).value() + 256); // a /24 still
    } else if (type == Ipv4Net.class || type == IpNet.class) {
      other = Ipv4Net.parse("10.244.6.0/24");
    } else if (type == MacAddress.class) {
      other = MacAddress.parse("0a:58:0a:f4:06:00");
    } else {
      throw new IllegalArgumentException("no other value for " + type);
    }
    return v == null ? List.of(other) : java.util.Arrays.asList(other, null);
  }
}
