import Foundation

/// An incident as typed by a person (on the command line or at the guided prompts), before it becomes an `Entry`.
///
/// Every field is text as given; `makeEntry` and `amend` read and check it all, and the first problem is
/// thrown as one sentence. A field left `nil` (or an empty list) is "not given": for a new entry it stays empty,
/// for an amendment the entry keeps what it had.
public struct EntryInput: Sendable {
  public var when: String?
  public var ended: String?
  public var approximate: Bool?
  public var location: String?
  public var categories: [String] = []
  /// Names or aliases of known people who did it.
  public var perpetrators: [String] = []
  /// Names or aliases of known people who saw it.
  public var witnesses: [String] = []
  /// Names or aliases of other known people involved.
  public var others: [String] = []
  /// Names or aliases of people to take off an amended entry, whatever their role in it.
  public var removedPeople: [String] = []
  public var title: String?
  public var narrative: String?
  public var injuries: String?
  public var amounts: [String] = []
  public var policeReference: String?
  public var tags: [String] = []

  public init() {}

  /// A new entry from this input.
  /// - Throws: `invalidInput` for a missing title or narrative, an unreadable date, category or amount;
  ///   `unknownPerson` for a name nobody in the journal has.
  public func makeEntry(index: JournalIndex, timeZone: TimeZone, now: Date) throws(VaultError) -> Entry {
    guard let when else {
      throw VaultError(
        .invalidInput, "When did it happen? Give --when (for example \"2026-11-28 22:30\" or \"yesterday 22:00\").")
    }
    guard let title = title?.trimmingCharacters(in: .whitespacesAndNewlines), !title.isEmpty else {
      throw VaultError(.invalidInput, "The entry needs a title: a few words that say what happened (--title).")
    }
    guard let narrative = narrative.map(Self.withoutTrailingWhitespace),
      !narrative.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    else {
      throw VaultError(
        .invalidInput,
        "The entry needs a description of what happened (--narrative-file, or the guided prompts); it was empty, so nothing was saved."
      )
    }
    var entry = Entry(
      occurred: try occurrence(when: when, timeZone: timeZone, now: now), title: title, narrative: narrative)
    try apply(to: &entry, index: index, timeZone: timeZone, now: now)
    return entry
  }

  /// `current` with every field this input gives replaced.
  ///
  /// People change by role: perpetrators given replace only the perpetrators, witnesses only the witnesses,
  /// others only the others; the people in a role not given stay as they were. `removedPeople` are then taken off
  /// whatever their role. A new `when` keeps the entry's end unless `ended` is given too.
  /// - Throws: `invalidInput` for an unreadable field, an end before the start, or a person to remove who is not on
  ///   the entry; `unknownPerson` for a name nobody in the journal has.
  public func amend(_ current: Entry, index: JournalIndex, timeZone: TimeZone, now: Date) throws(VaultError) -> Entry {
    var entry = current
    if let when {
      let keptEnd = current.occurred.end
      entry.occurred = try occurrence(when: when, timeZone: timeZone, now: now)
      if ended == nil, let keptEnd {
        if approximate == nil { entry.occurred.approximate = current.occurred.approximate }
        if let end = WhenFormatter.parseRFC3339UTC(keptEnd), end < entry.occurred.startDate {
          throw VaultError(
            .invalidInput,
            "The new start (\(when)) is after the end the entry already has; give the new end with --ended too.")
        }
        entry.occurred.end = keptEnd
      }
    } else if let approximate {
      entry.occurred.approximate = approximate
    }
    if let title {
      let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
      guard !trimmed.isEmpty else { throw VaultError(.invalidInput, "A title cannot be empty.") }
      entry.title = trimmed
    }
    if let narrative {
      let text = Self.withoutTrailingWhitespace(narrative)
      guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
        throw VaultError(.invalidInput, "The new description is empty; nothing was changed.")
      }
      entry.narrative = text
    }
    try apply(to: &entry, index: index, timeZone: timeZone, now: now)
    return entry
  }

  private func occurrence(when: String, timeZone: TimeZone, now: Date) throws(VaultError) -> Occurrence {
    let parser = WhenParser(timeZone: timeZone, now: now)
    let start: ParsedWhen
    do { start = try parser.parse(when) } catch { throw VaultError(.invalidInput, error.message) }
    var end: Date?
    if let ended {
      do { end = try parser.parse(ended).start } catch { throw VaultError(.invalidInput, error.message) }
      if let end, end < start.start {
        throw VaultError(.invalidInput, "The end (\(ended)) is before the start (\(when)).")
      }
    }
    return Occurrence(
      start: start.start, end: end, precision: start.precision, approximate: approximate ?? false, timeZone: timeZone)
  }

  /// Applies the optional fields (those that mean "unchanged" when absent).
  private func apply(to entry: inout Entry, index: JournalIndex, timeZone: TimeZone, now: Date) throws(VaultError) {
    if let ended, when == nil {
      let parser = WhenParser(timeZone: timeZone, now: now)
      do { entry.occurred.end = WhenFormatter.rfc3339UTC(try parser.parse(ended).start) } catch {
        throw VaultError(.invalidInput, error.message)
      }
    }
    if let location { entry.location = Self.optional(location) }
    if !categories.isEmpty {
      var parsed: [IncidentCategory] = []
      for text in categories {
        let category = try IncidentCategory(userText: text)
        if !parsed.contains(category) { parsed.append(category) }
      }
      entry.categories = parsed
    }
    if !perpetrators.isEmpty || !witnesses.isEmpty || !others.isEmpty {
      let given: [(names: [String], role: PersonRole)] = [
        (perpetrators, .perpetrator), (witnesses, .witness), (others, .other),
      ]
      var named: [Participant] = []
      for (names, role) in given where !names.isEmpty {
        for name in names {
          let person = try index.person(named: name)
          if !named.contains(where: { $0.person == person.stamp.id }) {
            named.append(Participant(person: person.stamp.id, role: role))
          }
        }
      }
      let replacedRoles = Set(given.filter { !$0.names.isEmpty }.map(\.role))
      // A person named in a role given now leaves the role they had before, so nobody is in two roles.
      let kept = entry.people.filter { old in
        !replacedRoles.contains(old.role) && !named.contains(where: { $0.person == old.person })
      }
      var people: [Participant] = []
      for role in PersonRole.allCases {
        people += replacedRoles.contains(role) ? named.filter { $0.role == role } : kept.filter { $0.role == role }
      }
      entry.people = people
    }
    for name in removedPeople {
      let person = try index.person(named: name)
      guard entry.people.contains(where: { $0.person == person.stamp.id }) else {
        throw VaultError(.invalidInput, "\(person.name) is not on this entry, so there is nobody to remove.")
      }
      entry.people.removeAll { $0.person == person.stamp.id }
    }
    if let injuries { entry.injuries = Self.optional(injuries) }
    if !amounts.isEmpty {
      var parsed: [MoneyAmount] = []
      for text in amounts { parsed.append(try MoneyAmount(userText: text)) }
      entry.amounts = parsed
    }
    if let policeReference { entry.policeReference = Self.optional(policeReference) }
    if !tags.isEmpty {
      entry.tags = tags.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
  }

  /// The text without the newline (and spaces) a file or the terminal leaves at its end; the rest is kept exactly.
  static func withoutTrailingWhitespace(_ text: String) -> String {
    var text = Substring(text)
    while let last = text.last, last.isWhitespace { text.removeLast() }
    return String(text)
  }

  /// nil for text that is empty or only spaces (so a prompt answered with Enter stores nothing).
  private static func optional(_ text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
    return trimmed.isEmpty ? nil : trimmed
  }
}

/// A person as typed on the command line.
public struct PersonInput: Sendable {
  public var name: String
  public var aliases: [String] = []
  public var phones: [String] = []
  public var emails: [String] = []
  public var handles: [String] = []
  public var relation: String?
  public var notes: String?

  public init(name: String) { self.name = name }

  /// A person record from this input, with phone numbers in E.164.
  /// - Throws: `invalidInput` for a phone number or e-mail address that cannot be read.
  public func makePerson() throws(VaultError) -> Person {
    var phones: [String] = []
    for raw in self.phones {
      do { phones.append(try PhoneNumber.normalise(raw)) } catch { throw VaultError(.invalidInput, error.message) }
    }
    for email in emails where email.range(of: #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, options: .regularExpression) == nil {
      throw VaultError(.invalidInput, "\"\(email)\" is not an e-mail address.", hint: "Write it like name@example.se.")
    }
    return Person(
      name: name, aliases: aliases.filter { !$0.isEmpty }, phones: phones, emails: emails, handles: handles,
      relation: relation.flatMap { $0.isEmpty ? nil : $0 }, notes: notes.flatMap { $0.isEmpty ? nil : $0 })
  }
}

/// What `person amend` adds to or changes about a person: new aliases, numbers, addresses and handles are added
/// to theirs; a new name, relation or notes replace theirs.
public struct PersonAmendment: Sendable {
  public var name: String?
  public var aliases: [String] = []
  public var phones: [String] = []
  public var emails: [String] = []
  public var handles: [String] = []
  public var relation: String?
  public var notes: String?

  public init() {}

  /// The new version of `person`, with phone numbers in E.164 and nothing listed twice.
  /// - Throws: `invalidInput` for a phone number or e-mail address that cannot be read.
  public func applied(to person: Person) throws(VaultError) -> Person {
    var input = PersonInput(name: name ?? person.name)
    input.aliases = aliases
    input.phones = phones
    input.emails = emails
    input.handles = handles
    let additions = try input.makePerson()
    var updated = person
    updated.name = additions.name
    func merged(_ old: [String], _ new: [String]) -> [String] {
      var seen = Set(old.map { $0.lowercased() })
      return old + new.filter { seen.insert($0.lowercased()).inserted }
    }
    updated.aliases = merged(person.aliases, additions.aliases)
    updated.phones = merged(person.phones, additions.phones)
    updated.emails = merged(person.emails, additions.emails)
    updated.handles = merged(person.handles, additions.handles)
    if let relation { updated.relation = relation.isEmpty ? nil : relation }
    if let notes { updated.notes = notes.isEmpty ? nil : notes }
    return updated
  }
}
