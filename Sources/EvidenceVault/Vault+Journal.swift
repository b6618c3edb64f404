import Foundation

/// Writing incidents and people: the vault stamps each record and appends it durably.
extension Vault {
  /// Saves a new incident and returns its number once it is on disk.
  /// - Throws: `invalidInput` for an empty title or narrative, `unknownPerson`, and what `append` throws.
  @discardableResult
  public func addEntry(_ entry: Entry) throws(VaultError) -> Int {
    let index = self.index
    try validate(entry, index: index)
    var stamped = entry
    stamped.stamp = stamp()
    stamped.supersedes = nil
    try append(.entry(stamped))
    return index.entries.count + 1
  }

  /// Records whose `recordedAt` is earlier than their predecessor's: the device clock was changed or wrong.
  /// Reported by `verify` and the dossier, never hidden.
  public var clockNotices: [String] {
    var notices: [String] = []
    var previous: String?
    for (stored, recordedAt) in zip(records, index.recordedAt) {
      guard let recordedAt else { continue }
      if let previous, recordedAt < previous {
        notices.append(
          "Record \(stored.sequence) was written at \(recordedAt), earlier than the record before it (\(previous)): the device clock was changed or wrong."
        )
      }
      previous = recordedAt
    }
    return notices
  }

  /// Saves several new incidents at once (one write, one fsync): for imports and bulk work.
  /// - Returns: their numbers.
  @discardableResult
  public func addEntries(_ entries: [Entry]) throws(VaultError) -> [Int] {
    let index = self.index
    var stamped: [Record] = []
    for entry in entries {
      try validate(entry, index: index)
      var copy = entry
      copy.stamp = stamp()
      copy.supersedes = nil
      stamped.append(.entry(copy))
    }
    try append(stamped)
    return Array((index.entries.count + 1)...(index.entries.count + entries.count))
  }

  /// Saves a new version of incident `number`; the earlier versions stay in the journal.
  /// - Throws: `unknownEntry`, and what `addEntry` throws.
  public func amendEntry(_ number: Int, with entry: Entry) throws(VaultError) {
    let index = self.index
    let history = try index.entry(number: number)
    try validate(entry, index: index)
    guard RecordCodec.encode(.entry(withStamp(entry, history.current))) != RecordCodec.encode(.entry(history.current))
    else {
      throw VaultError(.invalidInput, "Nothing was changed: entry #\(number) already says exactly this.")
    }
    var stamped = entry
    stamped.stamp = stamp()
    stamped.supersedes = history.current.stamp.id
    try append(.entry(stamped))
  }

  /// Saves a new version of a person (a new number, alias, address…). The earlier version stays in the journal;
  /// the entries and messages that name the person show the new version.
  /// - Throws: `invalidInput` for an empty name, a name or alias that is someone else's, or no change, and what
  ///   `append` throws.
  public func amendPerson(_ current: Person, with person: Person) throws(VaultError) {
    let name = person.name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !name.isEmpty else { throw VaultError(.invalidInput, "A person needs a name (or a nickname).") }
    let index = self.index
    guard let latest = index.person(id: current.stamp.id), latest.stamp.id == current.stamp.id else {
      throw VaultError(.invalidInput, "\(current.name) was changed in the meantime; try again.")
    }
    for label in [name] + person.aliases {
      if index.people.contains(where: { $0.stamp.id != current.stamp.id && $0.isKnown(as: label) }) {
        throw VaultError(
          .invalidInput, "Someone else in the journal is already called \"\(label)\".",
          hint: "Use a different name or alias, for example with a surname or a place.")
      }
    }
    var stamped = person
    stamped.name = name
    stamped.stamp = current.stamp
    stamped.supersedes = current.supersedes
    guard stamped != current else {
      throw VaultError(.invalidInput, "Nothing was changed: \(current.name) already has exactly these details.")
    }
    stamped.stamp = stamp()
    stamped.supersedes = current.stamp.id
    try append(.person(stamped))
  }

  /// Saves a new person.
  /// - Throws: `invalidInput` for an empty name or a name already in use, and what `append` throws.
  public func addPerson(_ person: Person) throws(VaultError) {
    let name = person.name.trimmingCharacters(in: .whitespacesAndNewlines)
    guard !name.isEmpty else { throw VaultError(.invalidInput, "A person needs a name (or a nickname).") }
    let index = self.index
    for label in [person.name] + person.aliases where index.people.contains(where: { $0.isKnown(as: label) }) {
      throw VaultError(
        .invalidInput, "Someone in the journal is already called \"\(label)\".",
        hint: "Use a different name or alias, for example with a surname or a place.")
    }
    var stamped = person
    stamped.name = name
    stamped.stamp = stamp()
    stamped.supersedes = nil
    try append(.person(stamped))
  }

  func validate(_ entry: Entry, index: JournalIndex) throws(VaultError) {
    guard !entry.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw VaultError(.invalidInput, "The entry needs a title: a few words that say what happened.")
    }
    guard !entry.narrative.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
      throw VaultError(
        .invalidInput, "The entry needs a description of what happened; it was empty, so nothing was saved.")
    }
    for participant in entry.people where index.person(id: participant.person) == nil {
      throw VaultError(.unknownPerson, "The entry names a person who is not in the journal.")
    }
  }

  /// `entry` with `other`'s stamp and supersedes, to compare content alone.
  private func withStamp(_ entry: Entry, _ other: Entry) -> Entry {
    var copy = entry
    copy.stamp = other.stamp
    copy.supersedes = other.supersedes
    return copy
  }
}
