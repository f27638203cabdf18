package org.cjassessment.consumers.credits;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.Optional;
import org.cjassessment.consumers.Envelope;
import org.cjassessment.consumers.credits.CreditStore.Charge;
import org.cjassessment.consumers.credits.CreditStore.Subject;
import org.cjassessment.inbox.InboxHandler;
import org.cjassessment.inbox.InboxRecord;
import org.cjassessment.inbox.PoisonRecordException;
import org.jdbi.v3.core.Handle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Charges credits for {@code huleedu.resource.consumption.v1}, like the upstream Entitlements service but once:
 * cost = quantity × unit price of the metric; with an organisation, the organisation pays if it can, else the user
 * (upstream's source resolution); without one, the user pays. One charge per (source service, assessment job,
 * metric), whatever the event id. A subject that cannot pay gets an INSUFFICIENT_CREDITS operation and no debit (as
 * upstream: the event is consumed, the balance never goes negative).
 */
public final class CreditsLedger implements InboxHandler {

  public static final String NAME = "credits-ledger";
  private static final Logger LOG = LoggerFactory.getLogger(CreditsLedger.class);

  private final CreditStore store;
  private final Map<String, Long> unitPrices;
  private final long openingBalance;

  /**
   * @param unitPrices credits per unit of each metric (upstream policy: {@code cj_comparison} → 1)
   * @param openingBalance given to a subject seen for the first time (0: subjects must be granted credits first)
   */
  public CreditsLedger(CreditStore store, Map<String, Long> unitPrices, long openingBalance) {
    this.store = store;
    this.unitPrices = Map.copyOf(unitPrices);
    this.openingBalance = openingBalance;
  }

  public static Map<String, Long> defaultPrices() {
    return Map.of("cj_comparison", 1L);
  }

  @Override
  public void handle(Handle h, InboxRecord record) {
    Envelope e = Envelope.of(record);
    JsonNode data = e.data();
    String metric = e.require("resource_type");
    Long price = unitPrices.get(metric);
    if (price == null) {
      throw new PoisonRecordException("resource_type " + metric + " has no price (known: " + unitPrices.keySet() + ")");
    }
    long quantity = Envelope.requireNonNegativeLong(data, "quantity", "data.quantity");
    String source = Optional.ofNullable(e.optional("service_name")).orElseGet(e::sourceService);
    Charge charge = new Charge(source, e.require("processing_id"), metric, record.eventId(), e.optional("entity_id"),
        e.require("user_id"), e.optional("org_id"), quantity, Math.multiplyExact(quantity, price));

    if (!store.claim(h, charge)) {
      CreditStore.Operation kept = store.existing(h, charge).orElseThrow();
      if (kept.cost() != charge.cost()) {
        LOG.warn("{}: job {} ({}) was charged {} by event {}; event {} asks {} - refused, not charged twice", NAME,
            charge.processingId(), metric, kept.cost(), kept.eventId(), record.eventId(), charge.cost());
      } else {
        LOG.info("{}: job {} ({}) already charged by event {}; event {} is a logical duplicate", NAME,
            charge.processingId(), metric, kept.eventId(), record.eventId());
      }
      return;
    }
    if (openingBalance > 0) {
      if (charge.orgId() != null) {
        store.open(h, Subject.ORG, charge.orgId(), openingBalance);
      }
      store.open(h, Subject.USER, charge.userId(), openingBalance);
    }
    if (charge.orgId() != null && pay(h, charge, Subject.ORG, charge.orgId())) {
      return;
    }
    if (pay(h, charge, Subject.USER, charge.userId())) {
      return;
    }
    LOG.warn("{}: job {} needs {} credits ({} x {}); neither org {} nor user {} has them - recorded, not charged",
        NAME, charge.processingId(), charge.cost(), quantity, metric, charge.orgId(), charge.userId());
  }

  private boolean pay(Handle h, Charge charge, Subject subject, String id) {
    Optional<Long> after = store.debit(h, subject, id, charge.cost());
    after.ifPresent(balance -> store.charged(h, charge, subject, id, balance));
    return after.isPresent();
  }
}
