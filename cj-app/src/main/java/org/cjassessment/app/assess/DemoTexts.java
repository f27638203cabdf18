package org.cjassessment.app.assess;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Short generated essays for the demo (a few sentences on one assignment, no real student's writing). Stronger
 * essays draw more often from the developed sentences, so a reader of {@code results.json} sees texts that roughly
 * match their rank; the simulated judge decides from the hidden abilities, not from these words.
 */
final class DemoTexts {

  private static final String[] OPENINGS = {
      "Schools should start later in the morning.",
      "I think school should start at ten o'clock.",
      "Many people argue about when the school day ought to begin.",
      "Whether lessons should begin later is a question every school should take seriously.",
      "Teenagers are tired in the morning, so school starts too early.",
      "The time a school day begins shapes how much students actually learn.",
  };
  private static final String[] BASIC = {
      "Students are sleepy and they can not learn good.",
      "My friends is always tired in first lesson.",
      "It is better to sleep more because sleep is good.",
      "Also the bus comes very early and that is bad.",
      "I dont like mornings and many other people dont either.",
      "Teachers should think about this more.",
  };
  private static final String[] DEVELOPED = {
      "Research on adolescent sleep shows that their body clock shifts later during puberty.",
      "A later start would not simply add an hour in bed; it would move lessons to when students are alert.",
      "Critics worry about sports and part-time jobs, but schedules elsewhere have adapted within a term.",
      "One district that moved its start to 8:45 reported fewer absences and better first-period grades.",
      "The strongest objection is cost, since bus routes would have to be redesigned.",
      "Yet the price of tired students is paid every day, in attention, mood and safety on the roads.",
      "It would be fair to test the change for a year and measure attendance before deciding for good.",
  };
  private static final String[] CLOSINGS = {
      "So school should start later.",
      "That is why I think we need to change it.",
      "In short, a later start is a small change with a large effect on learning.",
      "For these reasons the evidence favours a later start, provided the transport costs are planned for.",
  };

  private final SplittableRandom random;

  DemoTexts(SplittableRandom random) {
    this.random = random;
  }

  /** Three to seven sentences; θ (logits, around 0) sets the share of developed ones. */
  String essay(double theta) {
    double developed = 1 / (1 + Math.exp(-1.5 * theta));
    List<String> sentences = new ArrayList<>();
    sentences.add(pick(OPENINGS));
    int body = 2 + random.nextInt(4);
    for (int i = 0; i < body; i++) {
      String s = random.nextDouble() < developed ? pick(DEVELOPED) : pick(BASIC);
      if (!sentences.contains(s)) {
        sentences.add(s);
      }
    }
    sentences.add(developed > 0.5 ? CLOSINGS[2 + random.nextInt(2)] : CLOSINGS[random.nextInt(2)]);
    return String.join(" ", sentences);
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }
}
