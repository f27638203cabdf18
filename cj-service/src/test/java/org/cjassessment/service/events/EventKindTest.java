package org.cjassessment.service.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventKindTest {

  @Test
  void nameBasedUuidsFollowRfc4122Version5() {
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertThat(EventKind.nameBased(dns, "www.example.com"))
        .isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
    assertThat(EventKind.nameBased(dns, "python.org"))
        .isEqualTo(UUID.fromString("886313e1-3b8a-5372-9b90-0c9aee199e5d"));
  }

  @Test
  void eventIdsAreStablePerBatchAndKindAndDistinctAcrossThem() {
    Set<UUID> ids = new HashSet<>();
    for (EventKind kind : EventKind.values()) {
      assertThat(kind.eventId("42")).isEqualTo(kind.eventId("42")).isNotEqualTo(kind.eventId("43"));
      assertThat(kind.eventId("42").version()).isEqualTo(5);
      ids.add(kind.eventId("42"));
    }
    assertThat(ids).hasSize(EventKind.values().length);
  }
}
