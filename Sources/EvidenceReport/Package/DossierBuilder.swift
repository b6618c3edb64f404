import EvidenceVault
import Foundation

/// Which incidents an export covers; messages and exhibits follow the incidents they belong to.
public struct ExportSelection: Sendable {
  public var from: Date?
  public var to: Date?
  public var personId: String?
  public var category: IncidentCategory?
  /// Only these entry numbers (`--entries 3,7,12`).
  public var entryNumbers: [Int]?

  public init() {}

  /// True when nothing narrows the export.
  public var isEverything: Bool {
    from == nil && to == nil && personId == nil && category == nil && entryNumbers == nil
  }
}

/// The choices an export was made with, as `manifest.json` keeps them (its `dossier` object).
public struct DossierParameters: Codable, Sendable, Equatable {
  public var language: String
  public var personName: String?
  /// The time zone's identifier, "Europe/Stockholm".
  public var timeZone: String
  public var includeHelpPage: Bool
  /// The selection: RFC 3339 UTC bounds, the person's record id, the category, the entry numbers.
  public var from: String?
  public var to: String?
  public var person: String?
  public var category: String?
  public var entries: [Int]?
  /// True when the dossier lists the failed attempts to open the journal (`--include-access`); absent otherwise.
  public var includeAccess: Bool?
  /// The clock notices, which name withheld records too and so cannot be recomputed from the package.
  public var clockNotices: [String]

  /// The selection these parameters describe; nil if one of them cannot be read.
  public var selection: ExportSelection? {
    var selection = ExportSelection()
    if let from {
      guard let date = WhenFormatter.parseRFC3339UTC(from) else { return nil }
      selection.from = date
    }
    if let to {
      guard let date = WhenFormatter.parseRFC3339UTC(to) else { return nil }
      selection.to = date
    }
    selection.personId = person
    if let category {
      guard let value = IncidentCategory(rawValue: category) else { return nil }
      selection.category = value
    }
    selection.entryNumbers = entries
    return selection
  }
}

/// Chooses, numbers and orders what a dossier shows, and which journal records it includes.
public struct DossierBuilder {
  /// The dossier's content.
  public let model: DossierModel
  /// The journal positions of the records the export includes (the rest are withheld: only their leaves go out).
  public let includedSequences: Set<UInt64>
  /// The exhibits to copy, in dossier order: (vault label like "A3", file name in the package).
  public let exhibitFiles: [(label: String, fileName: String)]

  /// The choices that made it, for the manifest, so that `verify-export` can build the same dossier again.
  public let parameters: DossierParameters

  public init(
    vault: Vault, selection: ExportSelection, language: DossierModel.Language, personName: String?,
    producedAt: Date, timeZone: TimeZone, includeHelpPage: Bool, includeAccess: Bool = false
  ) {
    self.init(
      source: DossierSource(vault: vault), selection: selection, language: language, personName: personName,
      producedAt: producedAt, timeZone: timeZone, includeHelpPage: includeHelpPage, includeAccess: includeAccess)
  }

  public init(
    source: DossierSource, selection: ExportSelection, language: DossierModel.Language, personName: String?,
    producedAt: Date, timeZone: TimeZone, includeHelpPage: Bool, includeAccess: Bool = false
  ) {
    let index = source.index
    var filter = EntryFilter(from: selection.from, to: selection.to, category: selection.category)
    filter.personId = selection.personId
    var histories = index.entries(matching: filter)
    if let numbers = selection.entryNumbers { histories = histories.filter { numbers.contains($0.number) } }
    let entryIds = Set(histories.flatMap { $0.versions.map(\.stamp.id) })

    // Messages: those of the chosen incidents; with no narrowing, every message.
    let allMessages = index.messages.enumerated().map { (vaultNumber: $0.offset + 1, message: $0.element) }
    var chosenMessages = allMessages.filter { item in
      selection.isEverything || (item.message.entry.map(entryIds.contains) ?? false)
        || (selection.entryNumbers == nil && selection.personId == nil && selection.category == nil
          && item.message.entry == nil && Self.within(item.message.sentDate, selection))
    }
    chosenMessages.sort {
      ($0.message.sentDate ?? .distantPast, $0.vaultNumber) < ($1.message.sentDate ?? .distantPast, $1.vaultNumber)
    }
    var messageNumberById: [String: Int] = [:]
    for (offset, item) in chosenMessages.enumerated() { messageNumberById[item.message.stamp.id] = offset + 1 }

    // Exhibits: of the chosen incidents and messages, and the export files messages came from; in label order.
    var wantedExhibitIds = Set<String>()
    for exhibit in index.exhibits where exhibit.current.entry.map(entryIds.contains) ?? false {
      wantedExhibitIds.insert(exhibit.versions[0].stamp.id)
    }
    for item in chosenMessages {
      wantedExhibitIds.formUnion(item.message.attachments)
      if let source = item.message.provenance.source { wantedExhibitIds.insert(source) }
    }
    let chosenExhibits = index.exhibits.filter { exhibit in
      exhibit.versions.contains { wantedExhibitIds.contains($0.stamp.id) }
    }
    var exhibitNumberById: [String: Int] = [:]
    var exhibitFiles: [(label: String, fileName: String)] = []
    var exhibits: [DossierModel.Exhibit] = []
    for (offset, exhibit) in chosenExhibits.enumerated() {
      let number = offset + 1
      for version in exhibit.versions { exhibitNumberById[version.stamp.id] = number }
      let fileName = String(format: "exhibits/%02d-%@", number, Self.safeFileName(exhibit.current.originalName))
      exhibitFiles.append((exhibit.label, fileName))
      exhibits.append(
        DossierModel.Exhibit(
          number: number, fileName: fileName, originalName: TerminalSafeText.line(exhibit.current.originalName),
          mediaType: exhibit.current.mediaType, size: exhibit.current.size, sha256: exhibit.current.sha256,
          capture: exhibit.current.capture.flatMap(AttachmentText.captureText),
          addedAt: WhenFormatter.parseRFC3339UTC(exhibit.versions[0].stamp.recordedAt) ?? .distantPast))
    }

    // People: those named in the chosen incidents and messages.
    var peopleIds = Set<String>()
    for history in histories { for version in history.versions { peopleIds.formUnion(version.people.map(\.person)) } }
    for item in chosenMessages {
      for party in [item.message.from] + item.message.to { if let person = party?.person { peopleIds.insert(person) } }
    }
    // Each person by their current record id (a participant may name an earlier version).
    let currentPersonIds = Set(peopleIds.compactMap { index.person(id: $0)?.stamp.id })
    let chosenPeople = index.people.filter { currentPersonIds.contains($0.stamp.id) }
    // Who and what belongs where, computed once (an export may hold tens of thousands of messages).
    var messagesByEntry: [Int: [Int]] = [:]
    var messagesByPerson: [String: [Int]] = [:]
    for (offset, item) in chosenMessages.enumerated() {
      if let entry = item.message.entry.flatMap(index.entryNumber(id:)) {
        messagesByEntry[entry, default: []].append(offset + 1)
      }
      for party in [item.message.from] + item.message.to {
        if let person = party?.person.flatMap(index.person(id:))?.stamp.id {
          if messagesByPerson[person]?.last != offset + 1 { messagesByPerson[person, default: []].append(offset + 1) }
        }
      }
    }
    var exhibitsByEntry: [Int: [Int]] = [:]
    for exhibit in chosenExhibits {
      if let entry = exhibit.current.entry.flatMap(index.entryNumber(id:)),
        let number = exhibitNumberById[exhibit.versions[0].stamp.id]
      {
        exhibitsByEntry[entry, default: []].append(number)
      }
    }
    var incidentsByPerson: [String: [Int]] = [:]
    for history in histories {
      for person in Set(history.current.people.compactMap { index.person(id: $0.person)?.stamp.id }) {
        incidentsByPerson[person, default: []].append(history.number)
      }
    }

    let incidents = histories.map { history -> DossierModel.Incident in
      let entry = history.current
      return DossierModel.Incident(
        number: history.number,
        happened: DossierModel.Moment(
          start: entry.occurred.startDate, end: entry.occurred.endDate, precision: entry.occurred.precision,
          approximate: entry.occurred.approximate, timeZone: entry.occurred.zone),
        writtenDown: WhenFormatter.parseRFC3339UTC(history.original.stamp.recordedAt) ?? .distantPast,
        amendedAt: history.isAmended ? WhenFormatter.parseRFC3339UTC(entry.stamp.recordedAt) : nil,
        title: entry.title, place: entry.location, categories: entry.categories.map(\.rawValue),
        people: entry.people.map {
          DossierModel.PersonRef(name: index.person(id: $0.person)?.name ?? "?", role: $0.role.rawValue)
        },
        narrative: entry.narrative, injuries: entry.injuries,
        amounts: entry.amounts.map {
          DossierModel.Amount(kind: $0.kind.rawValue, amount: $0.amount, currency: $0.currency)
        },
        policeReference: entry.policeReference,
        messageNumbers: messagesByEntry[history.number] ?? [],
        exhibitNumbers: exhibitsByEntry[history.number] ?? [],
        earlierVersions: history.versions.dropLast().map {
          DossierModel.EarlierVersion(
            writtenAt: WhenFormatter.parseRFC3339UTC($0.stamp.recordedAt) ?? .distantPast, title: $0.title,
            narrative: $0.narrative)
        },
        quickNoteAt: history.original.intake.flatMap { WhenFormatter.parseRFC3339UTC($0.notedAt) })
    }
    let sourceNames = Dictionary(
      index.exhibits.flatMap { exhibit in
        exhibit.versions.map { ($0.stamp.id, TerminalSafeText.line(exhibit.current.originalName)) }
      },
      uniquingKeysWith: { first, _ in first })
    let messages = chosenMessages.enumerated().map { offset, item -> DossierModel.MessageItem in
      let message = item.message
      let byHand = language == .sv ? "inmatat för hand" : "typed in by hand"
      let source = message.provenance.source.flatMap { sourceNames[$0] }
      let provenance =
        source == nil
        ? byHand : [source, message.provenance.position].compactMap { $0 }.joined(separator: ", ")
      return DossierModel.MessageItem(
        number: offset + 1, channel: message.channel.rawValue, direction: message.direction.rawValue,
        from: message.from.map { MessageText.party($0, index: index) },
        to: message.to.map { MessageText.party($0, index: index) },
        sentAt: message.sentDate, timeAmbiguous: message.timeAmbiguous, subject: message.subject, text: message.text,
        exhibitNumbers: message.attachments.compactMap { exhibitNumberById[$0] },
        provenance: provenance,
        incidentNumber: message.entry.flatMap(index.entryNumber(id:)))
    }
    let people = chosenPeople.map { person -> DossierModel.Person in
      DossierModel.Person(
        name: person.name, aliases: person.aliases, phones: person.phones, emails: person.emails,
        handles: person.handles,
        relation: person.relation,
        incidentNumbers: incidentsByPerson[person.stamp.id] ?? [],
        messageNumbers: messagesByPerson[person.stamp.id] ?? [])
    }

    // Included records: every version of the chosen incidents, their people, messages and exhibits.
    var includedIds = entryIds.union(peopleIds)
    for item in chosenMessages { includedIds.insert(item.message.stamp.id) }
    for exhibit in chosenExhibits { includedIds.formUnion(exhibit.versions.map(\.stamp.id)) }
    for person in chosenPeople { includedIds.insert(person.stamp.id) }
    // Anchors reveal nothing but codes of the chain; every export carries them so they can be checked.
    for anchor in index.anchors { includedIds.insert(anchor.anchor.stamp.id) }
    // Failed attempts to open the journal, only when asked for: otherwise withheld like any record not chosen.
    if includeAccess { for item in index.accessAttempts { includedIds.insert(item.attempt.stamp.id) } }
    let included = Set(zip(source.sequences, index.recordIds).filter { includedIds.contains($0.1) }.map(\.0))

    let head = source.head
    let dates = incidents.map(\.happened.start) + messages.compactMap(\.sentAt)
    self.model = DossierModel(
      language: language, personName: personName, periodStart: selection.from ?? dates.min(),
      periodEnd: selection.to ?? dates.max(), producedAt: producedAt, timeZone: timeZone, incidents: incidents,
      people: people, messages: messages, exhibits: exhibits,
      integrity: DossierModel.Integrity(
        headSequence: head.sequence, headHash: head.hash, signature: head.signature,
        signingKeyFingerprint: source.fingerprint, withheldRecordCount: source.totalRecords - included.count,
        problems: source.problems, missingRecords: source.missingRecords,
        clockNotices: source.clockNotices,
        anchors: index.anchors.map {
          DossierModel.AnchorItem(
            sequence: $0.anchor.sequence, code: $0.anchor.code,
            madeAt: WhenFormatter.parseRFC3339UTC($0.anchor.stamp.recordedAt) ?? .distantPast)
        },
        unanchoredRecords: source.unanchoredRecords),
      includeHelpPage: includeHelpPage,
      accessAttempts: includeAccess
        ? index.accessAttempts.map {
          DossierModel.AccessItem(
            failedAt: $0.attempt.failedDate, command: TerminalSafeText.line($0.attempt.command),
            viaTerminal: $0.attempt.entry == .terminal)
        } : nil)
    self.includedSequences = included
    self.exhibitFiles = exhibitFiles
    self.parameters = DossierParameters(
      language: language.rawValue, personName: personName, timeZone: timeZone.identifier,
      includeHelpPage: includeHelpPage, from: selection.from.map(WhenFormatter.rfc3339UTC),
      to: selection.to.map(WhenFormatter.rfc3339UTC), person: selection.personId,
      category: selection.category?.rawValue, entries: selection.entryNumbers,
      includeAccess: includeAccess ? true : nil, clockNotices: source.clockNotices)
  }

  private static func within(_ date: Date?, _ selection: ExportSelection) -> Bool {
    guard let date else { return selection.from == nil && selection.to == nil }
    if let from = selection.from, date < from { return false }
    if let to = selection.to, date >= to { return false }
    return true
  }

  /// A name safe in any file system: letters, digits, dot, dash and underscore; the rest become "_".
  static func safeFileName(_ name: String) -> String {
    let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "._-"))
    let cleaned = String(name.unicodeScalars.map { allowed.contains($0) ? Character($0) : "_" })
    let trimmed = cleaned.trimmingCharacters(in: CharacterSet(charactersIn: "."))
    return trimmed.isEmpty ? "file" : String(trimmed.prefix(100))
  }
}
