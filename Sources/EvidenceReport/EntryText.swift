import EvidenceCatalogue
import EvidenceVault
import Foundation

/// Incidents and people as text for a terminal: one line each in lists, a labelled block for one entry.
///
/// Everything a person typed or a file brought (titles, places, names, narratives, file names) goes through
/// `TerminalSafeText`, so that no control character in it acts on the terminal.
public enum EntryText {
  /// When it happened, in the entry's own time zone, as precisely as known ("~" marks a guess).
  public static func when(_ occurred: Occurrence) -> String {
    let start = WhenFormatter.string(
      start: occurred.startDate, precision: occurred.precision, approximate: occurred.approximate,
      timeZone: occurred.zone)
    guard let end = occurred.endDate else { return start }
    let precision: TimePrecision = occurred.precision == .exact ? .exact : .minute
    return start + " – "
      + WhenFormatter.string(start: end, precision: precision, approximate: false, timeZone: occurred.zone)
  }

  /// The mark of a record that came in through the inbox, which anyone holding the vault folder can write to.
  public static var quickNoteMark: String { String(.entryQuickNote) }

  /// When it was written down, in `timeZone`.
  public static func recorded(_ recordedAt: String, timeZone: TimeZone) -> String {
    guard let date = WhenFormatter.parseRFC3339UTC(recordedAt) else { return recordedAt }
    return WhenFormatter.string(start: date, precision: .minute, approximate: false, timeZone: timeZone)
  }

  /// `#12  2026-11-28 22:30  threat  Threats in the stairwell — Storgatan 5, Malmö  (amended)`
  public static func listLine(_ history: EntryHistory) -> String {
    let entry = history.current
    var line = "#\(history.number)".padding(toLength: 6, withPad: " ", startingAt: 0)
    line += when(entry.occurred).padding(toLength: 18, withPad: " ", startingAt: 0)
    line += "  " + (entry.categories.isEmpty ? "-" : entry.categories.map(Labels.category).joined(separator: ", "))
    line += "  " + TerminalSafeText.line(entry.title)
    if let location = entry.location { line += " — " + TerminalSafeText.line(location) }
    if history.isAmended { line += "  (amended)" }
    if history.original.intake != nil { line += "  (quick note)" }
    return line
  }

  /// Every field of the current version, labelled, and with `history` the earlier versions after it.
  public static func full(_ history: EntryHistory, index: JournalIndex, includeHistory: Bool, timeZone: TimeZone)
    -> String
  {
    var text = block(history.current, number: history.number, index: index, timeZone: timeZone)
    let ids = Set(history.versions.map(\.stamp.id))
    let messages = index.messages.enumerated().filter { $0.element.entry.map(ids.contains) ?? false }
    if !messages.isEmpty {
      text += "\nMessages:\n"
      for (offset, message) in messages {
        text += MessageText.block(number: offset + 1, message, index: index, timeZone: timeZone) + "\n"
      }
    }
    let exhibits = index.exhibits(forEntry: history.number)
    if !exhibits.isEmpty {
      text += "\nExhibits:\n"
      for exhibit in exhibits {
        text +=
          "  \(exhibit.label)  \(TerminalSafeText.line(exhibit.current.originalName))  \(TerminalSafeText.line(exhibit.current.mediaType))  "
        text += "\(AttachmentText.sizeText(exhibit.current.size))  SHA-256 \(exhibit.current.sha256)\n"
      }
    }
    if history.isAmended {
      let amendedAt = recorded(history.current.stamp.recordedAt, timeZone: timeZone)
      text +=
        "\n(Amended \(amendedAt): this is version \(history.versions.count); first written \(recorded(history.original.stamp.recordedAt, timeZone: timeZone)).)\n"
    }
    if includeHistory && history.isAmended {
      for (offset, version) in history.versions.dropLast().enumerated().reversed() {
        text +=
          "\n--- Version \(offset + 1) of \(history.versions.count), written \(recorded(version.stamp.recordedAt, timeZone: timeZone)), replaced later ---\n"
        text += block(version, number: history.number, index: index, timeZone: timeZone)
      }
    } else if history.isAmended {
      text += "Earlier versions: evidence show \(history.number) --history\n"
    }
    return text
  }

  /// A new entry before it is saved, for the person to check.
  public static func preview(_ entry: Entry, index: JournalIndex, timeZone: TimeZone) -> String {
    block(entry, heading: String(.entryNew), index: index, timeZone: timeZone, written: false)
  }

  private static func block(_ entry: Entry, number: Int, index: JournalIndex, timeZone: TimeZone) -> String {
    block(entry, heading: "#\(number)", index: index, timeZone: timeZone, written: true)
  }

  private static func block(
    _ entry: Entry, heading: String, index: JournalIndex, timeZone: TimeZone, written: Bool
  ) -> String {
    var fields: [(label: String, value: String)] = []
    func field(_ label: Phrase, _ value: String?) {
      guard let value, !value.isEmpty else { return }
      fields.append((String(label) + ":", TerminalSafeText.line(value)))
    }
    field(.entryHappened, when(entry.occurred) + (entry.occurred.approximate ? " " + String(.entryApproximate) : ""))
    if written { field(.entryWrittenDown, recorded(entry.stamp.recordedAt, timeZone: timeZone)) }
    if let intake = entry.intake {
      field(.entryNoted, "\(recorded(intake.notedAt, timeZone: timeZone)) (\(quickNoteMark))")
    }
    field(.entryPlace, entry.location)
    field(.entryCategory, entry.categories.map(Labels.category).joined(separator: ", "))
    field(
      .entryPeople,
      entry.people.map { participant in
        let name = index.person(id: participant.person)?.name ?? String(.entryUnknownPerson)
        return "\(name) (\(Labels.role(participant.role)))"
      }.joined(separator: ", "))
    field(.entryInjuries, entry.injuries)
    field(
      .entryMoney,
      entry.amounts.map { "\(Labels.amountKind($0.kind)) \($0.amount) \($0.currency)" }.joined(separator: ", "))
    field(.entryPoliceReference, entry.policeReference)
    field(.entryTags, entry.tags.joined(separator: ", "))
    // The values in one column, however long the labels are in this language (at least 14 wide, as before).
    let width = max(14, (fields.map(\.label.count).max() ?? 0) + 1)
    var lines = ["\(heading)  \(TerminalSafeText.line(entry.title))"]
    lines += fields.map { $0.label.padding(toLength: width, withPad: " ", startingAt: 0) + $0.value }
    lines.append("")
    lines.append(TerminalSafeText.text(entry.narrative))
    return lines.joined(separator: "\n") + "\n"
  }

  /// `Marko (M) — recruiter — +46701234567`
  public static func personLine(_ person: Person) -> String {
    var line = person.name
    if !person.aliases.isEmpty { line += " (" + person.aliases.joined(separator: ", ") + ")" }
    if let relation = person.relation { line += " — " + relation }
    let contacts = person.phones + person.emails + person.handles
    if !contacts.isEmpty { line += " — " + contacts.joined(separator: ", ") }
    return TerminalSafeText.line(line)
  }
}
