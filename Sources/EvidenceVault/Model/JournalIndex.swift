import Foundation

/// An incident as people see it: its short number, its current text and every earlier version.
public struct EntryHistory: Sendable {
  /// The short number people use (`#12`): the order in which incidents were first written down.
  public internal(set) var number: Int
  /// Every version, oldest first; the last is current.
  public private(set) var versions: [Entry]
  /// Journal positions of the versions, parallel to `versions`.
  public private(set) var sequences: [UInt64]

  mutating func append(_ version: Entry, sequence: UInt64) {
    versions.append(version)
    sequences.append(sequence)
  }

  /// The current text.
  public var current: Entry { versions[versions.count - 1] }
  /// The first version.
  public var original: Entry { versions[0] }
  /// True when the entry has been amended.
  public var isAmended: Bool { versions.count > 1 }
}

/// An exhibit as people see it: its label (`A3`) and its record, with earlier versions (before it was tied to an entry).
public struct ExhibitHistory: Sendable {
  /// The exhibit's number: the order in which files were attached (`A1`, `A2`, …).
  public let number: Int
  /// Every version of its record, oldest first; the last is current.
  public private(set) var versions: [Attachment]

  /// The current record.
  public var current: Attachment { versions[versions.count - 1] }
  /// `A3`.
  public var label: String { "A\(number)" }

  mutating func append(_ version: Attachment) { versions.append(version) }
}

/// Which incidents to show; every criterion given must hold.
public struct EntryFilter: Sendable {
  /// Incidents that happened at or after this instant (or whose period reaches it).
  public var from: Date?
  /// Incidents that happened before this instant.
  public var to: Date?
  public var category: IncidentCategory?
  public var tag: String?
  /// A person record id.
  public var personId: String?
  /// Text to find in the title, narrative, place, injuries, police reference or tags (ignoring case).
  public var contains: String?

  public init(
    from: Date? = nil, to: Date? = nil, category: IncidentCategory? = nil, tag: String? = nil,
    personId: String? = nil, contains: String? = nil
  ) {
    self.from = from
    self.to = to
    self.category = category
    self.tag = tag
    self.personId = personId
    self.contains = contains
  }

  /// True when `entry` meets every criterion.
  public func matches(_ entry: Entry) -> Bool {
    let start = entry.occurred.startDate
    let end = entry.occurred.endDate ?? start
    if let from, end < from { return false }
    if let to, start >= to { return false }
    if let category, !entry.categories.contains(category) { return false }
    if let tag, !entry.tags.contains(where: { $0.caseInsensitiveCompare(tag) == .orderedSame }) { return false }
    if let personId, !entry.people.contains(where: { $0.person == personId }) { return false }
    if let contains {
      let fields = [entry.title, entry.narrative, entry.location, entry.injuries, entry.policeReference] + entry.tags
      guard
        fields.contains(where: { $0?.range(of: contains, options: [.caseInsensitive, .diacriticInsensitive]) != nil })
      else { return false }
    }
    return true
  }
}

/// The records of a journal arranged as people think of them: numbered incidents with histories, and people.
public struct JournalIndex: Sendable {
  /// Incidents by number (index 0 is #1).
  public private(set) var entries: [EntryHistory] = []
  /// People, current versions, in the order they were added.
  public private(set) var people: [Person] = []
  /// Messages in journal order (people see them numbered M1, M2, …).
  public private(set) var messages: [Message] = []
  /// Fingerprints of every message, to add only what is new when an export is imported again.
  public private(set) var messageFingerprints: Set<String> = []
  /// Exhibits by number (index 0 is A1).
  public private(set) var exhibits: [ExhibitHistory] = []
  /// Anchors made, oldest first, with the journal position of each anchor record.
  public private(set) var anchors: [(anchor: Anchor, recordSequence: UInt64)] = []
  /// Wrong passphrases given to the vault (taken in from `inbox/`), in journal order, with each record's position.
  public private(set) var accessAttempts: [(attempt: AccessAttempt, recordSequence: UInt64)] = []
  /// Each record's id, in journal order.
  public private(set) var recordIds: [String] = []
  /// Each record's `recordedAt`, in journal order (nil for records of unknown types).
  public private(set) var recordedAt: [String?] = []
  /// How many records are of a type this version does not know (kept and chained, not shown).
  public private(set) var unknownRecordCount = 0
  private var entryNumberById: [String: Int] = [:]
  private var personIndexById: [String: Int] = [:]
  private var exhibitNumberById: [String: Int] = [:]

  /// Decodes and arranges every record.
  public init(records: [StoredRecord]) {
    for (stored, record) in zip(records, Self.decode(records)) {
      add(record, sequence: stored.sequence)
    }
  }

  /// Takes in one more record, at the end of the journal.
  mutating func add(_ record: Record, sequence: UInt64) {
    recordedAt.append(record.recordedAt)
    recordIds.append(record.id)
    switch record {
    case .entry(let entry):
      if let replaced = entry.supersedes, let number = entryNumberById[replaced] {
        entries[number - 1].append(entry, sequence: sequence)
        entryNumberById[entry.stamp.id] = number
      } else {
        entries.append(EntryHistory(number: entries.count + 1, versions: [entry], sequences: [sequence]))
        entryNumberById[entry.stamp.id] = entries.count
      }
    case .person(let person):
      if let replaced = person.supersedes, let index = personIndexById[replaced] {
        people[index] = person
        personIndexById[person.stamp.id] = index
      } else {
        people.append(person)
        personIndexById[person.stamp.id] = people.count - 1
      }
    case .attachment(let attachment):
      if let replaced = attachment.supersedes, let number = exhibitNumberById[replaced] {
        exhibits[number - 1].append(attachment)
        exhibitNumberById[attachment.stamp.id] = number
      } else {
        exhibits.append(ExhibitHistory(number: exhibits.count + 1, versions: [attachment]))
        exhibitNumberById[attachment.stamp.id] = exhibits.count
      }
    case .message(let message):
      messages.append(message)
      messageFingerprints.insert(message.fingerprint)
    case .anchor(let anchor):
      anchors.append((anchor, sequence))
    case .access(let attempt):
      accessAttempts.append((attempt, sequence))
    case .unknown:
      unknownRecordCount += 1
    }
  }

  /// The index of the records an evidence package includes (`records.json`), decoded from their stored JSON.
  ///
  /// The package withholds the other records, so counting would number its entries wrongly: `entryNumbers` gives
  /// each entry's number in the whole journal, by the journal position of its first version. Such an index answers `entries(matching:)`,
  /// `entryNumber(id:)`, people, messages and exhibits, but not `entry(number:)`.
  public init(packageRecords: [(sequence: UInt64, json: [UInt8])], entryNumbers: [UInt64: Int]) {
    for item in packageRecords {
      add((try? RecordCodec.decode(item.json)) ?? .unknown(type: "unreadable", id: ""), sequence: item.sequence)
    }
    for position in entries.indices {
      guard let number = entryNumbers[entries[position].sequences[0]] else { continue }
      entries[position].number = number
      for version in entries[position].versions { entryNumberById[version.stamp.id] = number }
    }
  }

  /// Decodes every record's JSON, on all cores (decoding dominates the cost of reading a large journal).
  private static func decode(_ records: [StoredRecord]) -> [Record] {
    guard records.count > 256 else { return records.map(\.record) }
    let placeholder = Record.unknown(type: "", id: "")
    var decoded = [Record](repeating: placeholder, count: records.count)
    let chunk = 256
    let chunks = (records.count + chunk - 1) / chunk
    decoded.withUnsafeMutableBufferPointer { output in
      nonisolated(unsafe) let output = output
      DispatchQueue.concurrentPerform(iterations: chunks) { part in
        for index in (part * chunk)..<min(records.count, (part + 1) * chunk) {
          output[index] = records[index].record
        }
      }
    }
    return decoded
  }

  /// The incident `#number`.
  /// - Throws: `unknownEntry`.
  public func entry(number: Int) throws(VaultError) -> EntryHistory {
    guard number >= 1, number <= entries.count else {
      throw VaultError(
        .unknownEntry,
        entries.isEmpty
          ? "There is no entry #\(number): the journal has no entries yet."
          : "There is no entry #\(number); the entries are #1–#\(entries.count).",
        hint: "Run `evidence list` to see them.")
    }
    return entries[number - 1]
  }

  /// The incidents matching `filter`, in the order they happened (then by number).
  public func entries(matching filter: EntryFilter) -> [EntryHistory] {
    entries.filter { filter.matches($0.current) }.sorted {
      let (a, b) = ($0.current.occurred.startDate, $1.current.occurred.startDate)
      return a != b ? a < b : $0.number < $1.number
    }
  }

  /// The person known by this name or alias.
  /// - Throws: `unknownPerson` (with the known names as a hint), or `invalidInput` when two people share it.
  public func person(named name: String) throws(VaultError) -> Person {
    let matches = people.filter { $0.isKnown(as: name) }
    if matches.count == 1 { return matches[0] }
    if matches.count > 1 {
      throw VaultError(
        .invalidInput, "\"\(name)\" is the name or alias of \(matches.count) people.",
        hint: "Use a name or alias that only one person has.")
    }
    throw VaultError(
      .unknownPerson, "No person called \"\(name)\" is in the journal.",
      hint: people.isEmpty
        ? "Add them first: evidence person add \"\(name)\""
        : "Add them with `evidence person add \"\(name)\"`, or use one of: \(people.map(\.name).joined(separator: ", "))."
    )
  }

  /// The exhibit labelled `label` (`A3`, `a3` or `3`).
  /// - Throws: `unknownEntry` naming the exhibits there are.
  public func exhibit(_ label: String) throws(VaultError) -> ExhibitHistory {
    let digits = label.trimmingCharacters(in: .whitespaces).drop { $0 == "A" || $0 == "a" || $0 == "#" }
    guard let number = Int(digits), number >= 1, number <= exhibits.count else {
      throw VaultError(
        .unknownEntry,
        exhibits.isEmpty
          ? "There is no exhibit \(label): nothing has been attached yet."
          : "There is no exhibit \(label); the exhibits are A1–A\(exhibits.count).",
        hint: "Run `evidence attachments` to see them.")
    }
    return exhibits[number - 1]
  }

  /// The exhibits that belong to incident `number` (to any of its versions), in order.
  public func exhibits(forEntry number: Int) -> [ExhibitHistory] {
    guard number >= 1, number <= entries.count else { return [] }
    let ids = Set(entries[number - 1].versions.map(\.stamp.id))
    return exhibits.filter { $0.current.entry.map(ids.contains) ?? false }
  }

  /// The exhibits tied to no entry.
  public var looseExhibits: [ExhibitHistory] { exhibits.filter { $0.current.entry == nil } }

  /// The person with record id `id` (current version), if any.
  public func person(id: String) -> Person? {
    personIndexById[id].map { people[$0] }
  }

  /// The number of the incident that has (or had) a version with record id `id`.
  public func entryNumber(id: String) -> Int? {
    entryNumberById[id]
  }
}

extension ParsedWhen {
  /// The first instant after the period this names: the next minute for "22:30", the next day for "2026-11-28".
  public func endOfPeriod(timeZone: TimeZone) -> Date {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = timeZone
    switch precision {
    case .exact: return start.addingTimeInterval(1)
    case .minute: return start.addingTimeInterval(60)
    case .hour: return start.addingTimeInterval(3600)
    case .day, .approximate:
      return calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
    case .month: return calendar.date(byAdding: .month, value: 1, to: start) ?? start.addingTimeInterval(31 * 86_400)
    }
  }
}

extension EntryFilter {
  /// A filter from the dates a person typed: `from` at its start, `to` through the end of the day or month it names.
  /// - Throws: `invalidInput` with the date parser's sentence.
  public init(fromText: String?, toText: String?, timeZone: TimeZone, now: Date) throws(VaultError) {
    self.init()
    let parser = WhenParser(timeZone: timeZone, now: now)
    do {
      if let fromText { from = try parser.parse(fromText).start }
      if let toText { to = try parser.parse(toText).endOfPeriod(timeZone: timeZone) }
    } catch {
      throw VaultError(.invalidInput, error.message)
    }
  }
}

/// Which messages to show; every criterion given must hold.
public struct MessageFilter: Sendable {
  /// A person record id: messages from or to them.
  public var personId: String?
  public var channel: Message.Channel?
  public var from: Date?
  public var to: Date?
  /// Text to find in the message or its subject (ignoring case and accents).
  public var contains: String?

  public init(
    personId: String? = nil, channel: Message.Channel? = nil, from: Date? = nil, to: Date? = nil,
    contains: String? = nil
  ) {
    self.personId = personId
    self.channel = channel
    self.from = from
    self.to = to
    self.contains = contains
  }

  /// True when `message` meets every criterion.
  public func matches(_ message: Message) -> Bool {
    if let channel, message.channel != channel { return false }
    if let personId, !([message.from] + message.to).contains(where: { $0?.person == personId }) { return false }
    if let from, (message.sentDate ?? .distantPast) < from { return false }
    if let to, (message.sentDate ?? .distantPast) >= to { return false }
    if let contains {
      let options: String.CompareOptions = [.caseInsensitive, .diacriticInsensitive]
      guard
        message.text.range(of: contains, options: options) != nil
          || message.subject?.range(of: contains, options: options) != nil
      else { return false }
    }
    return true
  }
}

extension JournalIndex {
  /// Messages matching `filter` with their numbers (`M3` is 3), in the order they were sent.
  public func messages(matching filter: MessageFilter) -> [(number: Int, message: Message)] {
    messages.enumerated().map { (number: $0.offset + 1, message: $0.element) }
      .filter { filter.matches($0.message) }
      .sorted {
        let (a, b) = ($0.message.sentDate ?? .distantPast, $1.message.sentDate ?? .distantPast)
        return a != b ? a < b : $0.number < $1.number
      }
  }
}
