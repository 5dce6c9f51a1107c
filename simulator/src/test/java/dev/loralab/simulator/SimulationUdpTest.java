package dev.loralab.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.loralab.frequencyplans.Bands;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Real time over real UDP sockets: the simulated gateways talk to {@link FakeNetworkServer}
 * behind a Netty UDP server on localhost. No timed assertions: only counts after the run.
 */
class SimulationUdpTest {

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void gatewaysSpeakSemtechUdpToARealSocketAndDevicesJoinThroughIt() throws Exception {
    String yaml = """
        name: udp
        seed: 3
        duration: 14s
        radio: {shadowing-sigma-db: 0}
        gateways:
          - {eui: 00800000A00000F1, position: [0, 0]}
          - {eui: 00800000A00000F2, position: [300, 0]}
        devices:
          - {name: otaa, count: 1, placement: {type: points, points: [[100, 0]]}, uplink: {interval: 2s}}
          - {name: abp, count: 1, activation: abp, placement: {type: points, points: [[150, 50]]},
             uplink: {interval: 2s}}
        """;
    Scenario scenario = new ScenarioParser().parse("<udp>", yaml);
    FakeNetworkServer ns = new FakeNetworkServer(Provisioning.of(scenario), Bands.byId("EU_863_870"));
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server = new Bootstrap().group(group).channel(NioDatagramChannel.class)
          .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket msg) {
              ByteBuf b = msg.content();
              byte[] bytes = new byte[b.readableBytes()];
              b.getBytes(b.readerIndex(), bytes);
              InetSocketAddress from = msg.sender();
              ns.receive(bytes, reply -> ctx.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), from)));
            }
          }).bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
      int port = ((InetSocketAddress) server.localAddress()).getPort();

      SimulationReport r = Simulation.run(scenario,
          SimulationOptions.defaults().withServer("127.0.0.1:" + port).withDrain(Duration.ofSeconds(1)));

      assertThat(ns.pullData).isGreaterThanOrEqualTo(2);
      assertThat(r.gatewayCounts()).allSatisfy(g -> {
        assertThat(g.pullAcks()).isPositive();
        assertThat(g.pushAcks()).isEqualTo(g.pushDataSent());
      });
      assertThat(r.joins().successRate()).isEqualTo(1.0);
      assertThat(r.uplinks().sent()).isPositive();
      assertThat(ns.micFailures).isZero();
      Set<String> delivered = r.uplinkRecords().stream().filter(SimulationReport.UplinkRecord::delivered)
          .map(u -> u.devEui() + "/" + u.fCnt()).collect(Collectors.toSet());
      assertThat(new HashSet<>(ns.forwarded.stream().map(f -> f.devEui() + "/" + f.fCnt()).toList()))
          .isEqualTo(delivered);
      assertThat(ns.duplicates).isPositive(); // both gateways heard the frames
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
