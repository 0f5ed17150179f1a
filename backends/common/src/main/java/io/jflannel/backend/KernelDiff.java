package io.jflannel.backend;

import io.jflannel.netlink.KernelObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The one comparison of wanted state with found state, for every kind of {@link KernelObject}:
 * objects are matched by {@link KernelObject#key()}; a wanted object that is absent is missing, one
 * that differs is wrong, and a found object nobody wants is extra when {@code ours} claims it
 * (objects of other software are left alone).
 */
public final class KernelDiff {
  private KernelDiff() {}

  /** Differences, in the order: wanted objects (missing, wrong) first, then extra ones. */
  public static List<Drift> diff(
      Collection<? extends KernelObject> want,
      Collection<? extends KernelObject> have,
      Predicate<? super KernelObject> ours) {
    Map<Object, KernelObject> found = new HashMap<>(have.size() * 2);
    for (KernelObject h : have) {
      found.put(h.key(), h);
    }
    Map<Object, KernelObject> wanted = new HashMap<>(want.size() * 2);
    List<Drift> out = new ArrayList<>();
    for (KernelObject w : want) {
      wanted.put(w.key(), w);
      KernelObject h = found.get(w.key());
      if (h == null) {
        out.add(Drift.missing(w));
      } else if (!h.equals(w)) {
        out.add(Drift.wrong(w, h));
      }
    }
    for (KernelObject h : have) {
      if (!wanted.containsKey(h.key()) && ours.test(h)) {
        out.add(Drift.extra(h));
      }
    }
    return out;
  }
}
