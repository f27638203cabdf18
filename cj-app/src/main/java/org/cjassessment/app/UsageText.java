package org.cjassessment.app;

import java.util.Arrays;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Descriptions are written in the source as lines of about 110 characters; picocli prints each array element as a
 * paragraph wrapped at 80 columns, so those lines came out ragged ("ask an LLM (or the" / "simulated judge), ..."),
 * and the command list, which shows the first element only, cut sentences in the middle. Here every description
 * becomes two paragraphs: its first sentence (what the command list shows) and the rest.
 */
final class UsageText {

  /** A sentence ends at a full stop followed by a blank and a capital ("results.json of" does not end one). */
  private static final Pattern SENTENCE_END = Pattern.compile("(?<=\\.)\\s+(?=[A-Z])");

  private UsageText() {}

  static void reflow(CommandLine cli) {
    String[] description = cli.getCommandSpec().usageMessage().description();
    if (description.length > 1) {
      String text = String.join(" ", Arrays.stream(description).map(String::strip).toList());
      String[] sentences = SENTENCE_END.split(text, 2);
      cli.getCommandSpec().usageMessage().description(sentences);
    }
    cli.getSubcommands().values().forEach(UsageText::reflow);
  }
}
