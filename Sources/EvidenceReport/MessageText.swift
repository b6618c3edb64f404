import EvidenceVault
import Foundation

/// Messages as text for a terminal and as `--json`. The terminal text escapes every control character that came
/// with a message (`TerminalSafeText`); the JSON keeps the words exactly.
public enum MessageText {
  /// A block per message: number, time, channel, direction, parties, then the exact text, indented.
  public static func block(number: Int, _ message: Message, index: JournalIndex, timeZone: TimeZone) -> String {
    var head = "M\(number)  "
    head +=
      message.sentDate.map {
        WhenFormatter.string(start: $0, precision: .exact, approximate: false, timeZone: timeZone)
      } ?? "(no time)"
    if message.timeAmbiguous { head += " (ambiguous: the clocks changed)" }
    head += "  \(message.channel.rawValue), \(message.direction.rawValue)"
    var lines = [head]
    if let from = message.from { lines.append("    From: \(party(from, index: index))") }
    if !message.to.isEmpty {
      lines.append("    To:   " + message.to.map { party($0, index: index) }.joined(separator: ", "))
    }
    if let subject = message.subject { lines.append("    Subject: \(TerminalSafeText.line(subject))") }
    if !message.attachments.isEmpty {
      let labels = index.exhibits.filter { message.attachments.contains($0.versions[0].stamp.id) }.map(\.label)
      lines.append("    Exhibits: " + labels.joined(separator: ", "))
    }
    var text = Substring(message.text)
    while text.hasSuffix("\n") { text = text.dropLast() }  // shown without the final line break; stored with it
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      lines.append("    | " + TerminalSafeText.text(line))
    }
    return lines.joined(separator: "\n")
  }

  /// "Marko (+46701234567)", escaped for a terminal (the dossier shows it the same way).
  static func party(_ party: Message.Party, index: JournalIndex) -> String {
    TerminalSafeText.line(unescapedParty(party, index: index))
  }

  private static func unescapedParty(_ party: Message.Party, index: JournalIndex) -> String {
    let name = party.person.flatMap(index.person(id:))?.name ?? party.name
    switch (name, party.address) {
    case (let name?, let address?) where name != address: return "\(name) (\(address))"
    case (let name?, _): return name
    case (nil, let address?): return address
    case (nil, nil): return "(withheld)"
    }
  }

  private struct Item: Encodable {
    let number: Int
    let message: Message
  }

  /// `evidence messages --json` (Schemas/message-list.schema.json).
  public static func json(_ messages: [(number: Int, message: Message)]) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(messages.map { Item(number: $0.number, message: $0.message) }) else {
      preconditionFailure("JSON encoding failed")
    }
    return String(decoding: data, as: UTF8.self)
  }
}
