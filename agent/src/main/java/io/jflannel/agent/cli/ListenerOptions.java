package io.jflannel.agent.cli;

import java.nio.file.Path;

/**
 * Where the agent answers: the HTTP listener (/healthz, /readyz, /metrics) and the admin socket.
 *
 * @param healthzIp {@code --healthz-ip}
 * @param healthzPort {@code --healthz-port}; 0: no listener
 * @param adminSocket {@code --admin-socket}: the admin API's unix socket, or null for none
 */
public record ListenerOptions(String healthzIp, int healthzPort, Path adminSocket) {}
