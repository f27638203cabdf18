package org.cjassessment.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

  @Test
  void portsChosenTogetherAreDistinct() {
    int[] ports = LoopbackPorts.free(5);

    assertThat(Arrays.stream(ports).distinct().count()).isEqualTo(5);
    assertThat(Arrays.stream(ports).boxed()).allSatisfy(port -> assertThat(port).isBetween(1024, 65535));
  }
}
