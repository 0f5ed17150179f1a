package io.jflannel.agent.node;

import java.util.concurrent.ThreadFactory;

/** Daemon threads with a name: the agent's and jflanctl's pools never keep the JVM alive. */
public final class DaemonThreads {
  private DaemonThreads() {}

  /** A factory of daemon threads called {@code name}. */
  public static ThreadFactory named(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
