import EvidenceVault
import Foundation

/// The dossier's sections as lines, before they are cut into pages.
struct DossierSections {
  let model: DossierModel
  let strings: DossierStrings

  private typealias Layout = DossierText

  /// The sections after the cover, each starting on a new page.
  func bodies() -> [(heading: String, lines: [DossierLine])] {
    var bodies = [
      (strings.timelineHeading, timeline()),
      (strings.peopleHeading, people()),
      (strings.incidentsHeading, incidents()),
      (strings.messagesHeading, messageLog()),
      (strings.exhibitsHeading, exhibitIndex()),
      (strings.amendmentsHeading, amendments()),
    ]
    if let attempts = model.accessAttempts { bodies.append((strings.accessHeading, access(attempts))) }
    bodies.append((strings.integrityHeading, integrity()))
    if model.includeHelpPage {
      bodies.append((strings.helpHeading, Layout.heading(strings.helpHeading) + Layout.helpLines(strings)))
    }
    return bodies
  }

  // MARK: - Cover

  /// The cover: title, who and when, counts, fingerprint, contents with page numbers, how to read.
  func cover(contents: [(String, Int)]) -> [DossierLine] {
    var lines = Layout.heading(strings.title)
    if let name = model.personName { lines += Layout.field(strings.name, name) }
    lines += Layout.field(strings.period, period())
    lines += Layout.field(strings.produced, dateTime(model.producedAt))
    lines += Layout.field(strings.timeZone, model.timeZone.identifier)
    lines.append(DossierLine(""))
    lines += Layout.field(strings.incidents, String(model.incidents.count))
    lines += Layout.field(strings.messages, String(model.messages.count))
    lines += Layout.field(strings.exhibits, String(model.exhibits.count))
    lines += Layout.field(strings.people, String(model.people.count))
    lines.append(DossierLine(""))
    lines += Layout.field(strings.fingerprint, model.integrity.signingKeyFingerprint)
    lines.append(DossierLine(""))
    lines.append(DossierLine(strings.contentsHeading, keepWithNext: true))
    for (heading, page) in contents {
      let number = "\(strings.page) \(page)"
      let title = "  " + String(heading.prefix(Layout.lineWidth - number.count - 6))
      let dots = String(repeating: ".", count: max(1, Layout.lineWidth - title.count - number.count - 2))
      lines.append(DossierLine("\(title) \(dots) \(number)"))
    }
    lines.append(DossierLine(""))
    lines += Layout.paragraphs(strings.readingGuide, indent: "")
    return lines
  }

  private func period() -> String { strings.period(model) }

  // MARK: - Timeline

  private func timeline() -> [DossierLine] {
    var lines = Layout.heading(strings.timelineHeading)
    guard !model.incidents.isEmpty else { return lines + [DossierLine(strings.noIncidents)] }
    for incident in model.incidents {
      var parts = [moment(incident.happened)]
      if !incident.categories.isEmpty {
        parts.append(incident.categories.map(strings.category).joined(separator: ", "))
      }
      parts.append(Layout.oneLine(incident.title))
      if let place = incident.place { parts.append(Layout.oneLine(place)) }
      if !incident.exhibitNumbers.isEmpty { parts.append(strings.exhibitList(incident.exhibitNumbers)) }
      let number = "#\(incident.number)"
      let first = number + String(repeating: " ", count: max(1, 6 - number.count))
      lines += Layout.wrap(parts.joined(separator: " · "), first: first, rest: "      ").map { DossierLine($0) }
    }
    return lines
  }

  // MARK: - People

  private func people() -> [DossierLine] {
    var lines = Layout.heading(strings.peopleHeading)
    guard !model.people.isEmpty else { return lines + [DossierLine(strings.noPeople)] }
    for (index, person) in model.people.enumerated() {
      if index > 0 { lines.append(DossierLine("")) }
      lines += Layout.wrap(Layout.oneLine(person.name), first: "", rest: "  ").map {
        DossierLine($0, keepWithNext: true)
      }
      if !person.aliases.isEmpty { lines += Layout.field(strings.aliases, person.aliases.joined(separator: ", ")) }
      if !person.phones.isEmpty { lines += Layout.field(strings.phones, person.phones.joined(separator: ", ")) }
      if !person.emails.isEmpty { lines += Layout.field(strings.emails, person.emails.joined(separator: ", ")) }
      if !person.handles.isEmpty { lines += Layout.field(strings.handles, person.handles.joined(separator: ", ")) }
      if let relation = person.relation { lines += Layout.field(strings.relation, relation) }
      if !person.incidentNumbers.isEmpty {
        lines += Layout.field(strings.incidents, person.incidentNumbers.map { "#\($0)" }.joined(separator: ", "))
      }
      if !person.messageNumbers.isEmpty {
        lines += Layout.field(strings.messages, person.messageNumbers.map { "M\($0)" }.joined(separator: ", "))
      }
    }
    return lines
  }

  // MARK: - Incidents

  private func incidents() -> [DossierLine] {
    var lines = Layout.heading(strings.incidentsHeading)
    guard !model.incidents.isEmpty else { return lines + [DossierLine(strings.noIncidents)] }
    for (index, incident) in model.incidents.enumerated() {
      if index > 0 { lines += [DossierLine(""), DossierLine("")] }
      lines += Layout.heading("#\(incident.number) – \(Layout.oneLine(incident.title))", underline: "-")
      lines += facts(incident)
      lines.append(DossierLine(""))
      lines.append(DossierLine("\(strings.narrative):", keepWithNext: true))
      lines += Layout.paragraphs(incident.narrative, indent: "  ")
      for number in incident.messageNumbers {
        lines.append(DossierLine(""))
        if let message = model.message(number: number) {
          lines += self.message(message, showIncident: false)
        } else {
          lines.append(DossierLine("M\(number): \(strings.missingMessage)"))
        }
      }
      if !incident.exhibitNumbers.isEmpty {
        lines.append(DossierLine(""))
        lines.append(DossierLine("\(strings.exhibits):", keepWithNext: true))
        for number in incident.exhibitNumbers {
          let file = model.exhibit(number: number).map { " – \($0.fileName) (\($0.originalName))" }
          lines += Layout.wrap(strings.exhibit(number) + (file ?? ""), first: "  ", rest: "      ").map {
            DossierLine($0)
          }
        }
      }
    }
    return lines
  }

  private func facts(_ incident: DossierModel.Incident) -> [DossierLine] {
    var lines = Layout.field(
      strings.happened, "\(moment(incident.happened)) (\(strings.precision(incident.happened.precision)))")
    var written = dateTime(incident.writtenDown)
    if let amended = incident.amendedAt { written += "; \(strings.amendedOn) \(dateTime(amended))" }
    lines += Layout.field(strings.writtenDown, written)
    if let noted = incident.quickNoteAt {
      lines += Layout.field(strings.notedAt, "\(dateTime(noted)) (\(strings.quickNoteMark))")
    }
    if !incident.categories.isEmpty {
      lines += Layout.field(strings.categories, incident.categories.map(strings.category).joined(separator: ", "))
    }
    if let place = incident.place { lines += Layout.field(strings.place, place) }
    if !incident.people.isEmpty {
      let people = incident.people.map { "\(Layout.oneLine($0.name)) (\(strings.role($0.role)))" }
      lines += Layout.field(strings.people, people.joined(separator: ", "))
    }
    if let injuries = incident.injuries { lines += Layout.field(strings.injuries, injuries) }
    if !incident.amounts.isEmpty {
      let amounts = incident.amounts.map { "\(strings.amountKind($0.kind)) \($0.amount) \($0.currency)" }
      lines += Layout.field(strings.money, amounts.joined(separator: "; "))
    }
    if let reference = incident.policeReference { lines += Layout.field(strings.policeReference, reference) }
    return lines
  }

  // MARK: - Messages

  private func messageLog() -> [DossierLine] {
    var lines = Layout.heading(strings.messagesHeading)
    guard !model.messages.isEmpty else { return lines + [DossierLine(strings.noMessages)] }
    for (index, message) in model.messages.enumerated() {
      if index > 0 { lines.append(DossierLine("")) }
      lines += self.message(message, showIncident: true)
    }
    return lines
  }

  /// One message in full: number, channel, direction, parties, time, subject, verbatim text, exhibits, origin.
  private func message(_ message: DossierModel.MessageItem, showIncident: Bool) -> [DossierLine] {
    let title = "M\(message.number) · \(strings.channel(message.channel)) · \(strings.direction(message.direction))"
    var lines = Layout.wrap(title, first: "", rest: "  ").map { DossierLine($0, keepWithNext: true) }
    if let from = message.from { lines += Layout.field(strings.from, from) }
    if !message.to.isEmpty { lines += Layout.field(strings.to, message.to.joined(separator: ", ")) }
    var time = strings.unknown
    if let sent = message.sentAt {
      time = strings.date(sent, precision: .exact, timeZone: model.timeZone)
      if message.timeAmbiguous {
        time += " (\(DossierStrings.offset(sent, timeZone: model.timeZone))) – \(strings.ambiguous)"
      }
    }
    lines += Layout.field(strings.sourceTime, time)
    if let subject = message.subject { lines += Layout.field(strings.subject, subject) }
    if showIncident, let incident = message.incidentNumber { lines += Layout.field(strings.incident, "#\(incident)") }
    lines.append(DossierLine("  \(strings.text):", keepWithNext: true))
    lines += Layout.verbatim(message.text)
    if !message.exhibitNumbers.isEmpty {
      lines += Layout.field(strings.exhibits, message.exhibitNumbers.map(strings.exhibit).joined(separator: ", "))
    }
    lines += Layout.field(strings.provenance, message.provenance)
    return lines
  }

  // MARK: - Exhibits

  private func exhibitIndex() -> [DossierLine] {
    var lines = Layout.heading(strings.exhibitsHeading)
    guard !model.exhibits.isEmpty else { return lines + [DossierLine(strings.noExhibits)] }
    for (index, exhibit) in model.exhibits.enumerated() {
      if index > 0 { lines.append(DossierLine("")) }
      lines.append(DossierLine(strings.exhibit(exhibit.number), keepWithNext: true))
      lines += Layout.field(strings.fileInPackage, exhibit.fileName)
      lines += Layout.field(strings.originalName, exhibit.originalName)
      lines += Layout.field(strings.type, exhibit.mediaType)
      lines += Layout.field(strings.size, strings.bytes(exhibit.size))
      lines += Layout.field("SHA-256", exhibit.sha256)
      if let capture = exhibit.capture { lines += Layout.field(strings.capture, capture) }
      lines += Layout.field(strings.added, dateTime(exhibit.addedAt))
    }
    return lines
  }

  // MARK: - Amendments

  private func amendments() -> [DossierLine] {
    var lines = Layout.heading(strings.amendmentsHeading)
    let amended = model.incidents.filter { !$0.earlierVersions.isEmpty }
    guard !amended.isEmpty else { return lines + [DossierLine(strings.noAmendments)] }
    for (index, incident) in amended.enumerated() {
      if index > 0 { lines += [DossierLine(""), DossierLine("")] }
      lines += Layout.heading("#\(incident.number) – \(Layout.oneLine(incident.title))", underline: "-")
      for (versionIndex, version) in incident.earlierVersions.enumerated() {
        if versionIndex > 0 { lines.append(DossierLine("")) }
        lines.append(DossierLine("\(strings.versionWritten) \(dateTime(version.writtenAt))", keepWithNext: true))
        lines += Layout.field(strings.titleLabel, version.title)
        lines.append(DossierLine("  \(strings.narrative):", keepWithNext: true))
        lines += Layout.paragraphs(version.narrative, indent: "    ")
      }
    }
    return lines
  }

  // MARK: - Failed attempts to open the journal

  private func access(_ attempts: [DossierModel.AccessItem]) -> [DossierLine] {
    var lines = Layout.heading(strings.accessHeading)
    lines += Layout.paragraphs(strings.accessText, indent: "")
    lines.append(DossierLine(""))
    guard !attempts.isEmpty else { return lines + [DossierLine(strings.noAccessAttempts)] }
    for attempt in attempts {
      let line = strings.accessLine(
        failedAt: dateTime(attempt.failedAt), command: Layout.oneLine(attempt.command), viaTerminal: attempt.viaTerminal
      )
      lines += Layout.wrap(line, first: "  - ", rest: "    ").map { DossierLine($0) }
    }
    return lines
  }

  // MARK: - Integrity

  private func integrity() -> [DossierLine] {
    let integrity = model.integrity
    var lines = Layout.heading(strings.integrityHeading)
    lines += Layout.field(strings.chainHead, "\(strings.sequence) \(integrity.headSequence)")
    lines += Layout.field(strings.hash, integrity.headHash)
    lines.append(DossierLine("  \(strings.signature):", keepWithNext: true))
    var signature = Substring(integrity.signature)
    while !signature.isEmpty {
      lines.append(DossierLine("      " + signature.prefix(64)))
      signature = signature.dropFirst(64)
    }
    lines += Layout.field(strings.fingerprint, integrity.signingKeyFingerprint)
    lines.append(DossierLine(""))
    lines += Layout.paragraphs(strings.withheld(integrity.withheldRecordCount), indent: "")
    if !integrity.missingRecords.isEmpty {
      lines += Layout.paragraphs(strings.missingRecords(integrity.missingRecords), indent: "")
    }
    lines.append(DossierLine(""))
    lines += list(strings.problems, integrity.problems, none: strings.noProblems)
    lines.append(DossierLine(""))
    lines += list(strings.clockNotices, integrity.clockNotices, none: strings.noClockNotices)
    lines.append(DossierLine(""))
    lines.append(DossierLine("\(strings.anchorsHeading):", keepWithNext: true))
    lines += Layout.paragraphs(strings.anchorsText, indent: "  ")
    if integrity.anchors.isEmpty {
      lines += Layout.paragraphs(strings.noAnchors, indent: "  ")
    } else {
      for anchor in integrity.anchors {
        let line = strings.anchorLine(sequence: anchor.sequence, code: anchor.code, madeAt: dateTime(anchor.madeAt))
        lines += Layout.wrap(line, first: "  - ", rest: "    ").map { DossierLine($0) }
      }
      lines += Layout.paragraphs(strings.unanchored(integrity.unanchoredRecords), indent: "  ")
    }
    lines.append(DossierLine(""))
    lines.append(DossierLine("\(strings.howToCheck):", keepWithNext: true))
    lines.append(DossierLine(""))
    lines.append(DossierLine("  \(strings.verifyCommand)"))
    lines.append(DossierLine(""))
    lines += Layout.paragraphs(strings.howToCheckText, indent: "")
    return lines
  }

  private func list(_ title: String, _ items: [String], none: String) -> [DossierLine] {
    guard !items.isEmpty else { return Layout.paragraphs(none, indent: "") }
    return [DossierLine("\(title):", keepWithNext: true)]
      + items.flatMap { Layout.wrap(Layout.oneLine($0), first: "  - ", rest: "    ") }.map { DossierLine($0) }
  }

  // MARK: - Dates

  private func dateTime(_ date: Date) -> String {
    strings.date(date, precision: .minute, timeZone: model.timeZone)
  }

  private func moment(_ moment: DossierModel.Moment) -> String {
    strings.moment(moment, shownIn: model.timeZone)
  }
}
