import EvidenceReport
import EvidenceVault
import Foundation

/// The dossier as a PDF: the same content, order and numbering as `DossierText`, on A4 pages with a running
/// header, "Sida 3 av 12" footers, a linked table of contents, bookmarks, thumbnails of the photo exhibits and a
/// chart of the timeline. Text in every script is shaped by Pango; fonts fall back through fontconfig.
public enum DossierPDF {
  /// Renders `model` into a PDF at `output` (created 0600, replaced if it exists), reading the photo exhibits from
  /// `packageFolder` (each exhibit's `fileName` is relative to it). A missing or unreadable exhibit is shown as a
  /// labelled box, not an error.
  ///
  /// Pages are laid out twice, once to count them and once to draw them, and written one at a time; at most the
  /// current page's pictures are in memory. The same model gives the same bytes.
  /// - Throws: `VaultError` with code `fileSystem` (or `diskFull`) when the file cannot be written; the partial
  ///   file is removed.
  /// Writes `dossier.pdf` into an evidence package, after its exhibits (for `EvidencePackage.Options.dossiers`).
  public static let packageDossier: EvidencePackage.DossierWriter = { model, package in
    try render(model, exhibitsIn: package, to: package.appendingPathComponent("dossier.pdf"))
  }

  public static func render(_ model: DossierModel, exhibitsIn packageFolder: URL, to output: URL) throws {
    let strings = DossierStrings(language: model.language)
    let header = "\(strings.title) · \(strings.isoPeriod(model))"
    let footer = { (page: Int, total: Int) in strings.pageFooter(page, of: total) }
    let measuring = try PDFCanvas(output: nil, totalPages: 0, header: header, footer: footer)
    let measured = DossierPages(
      model: model, strings: strings, canvas: measuring, packageFolder: packageFolder, sectionPages: [:])
    measured.drawAll()
    try measuring.finish()
    do {
      let canvas = try PDFCanvas(
        output: output, totalPages: measuring.pageNumber, header: header, footer: footer)
      canvas.setMetadata(
        title: strings.title, author: model.personName, created: iso8601(model.producedAt))
      let pages = DossierPages(
        model: model, strings: strings, canvas: canvas, packageFolder: packageFolder,
        sectionPages: measuring.destinationPages)
      pages.drawAll()
      assert(canvas.pageNumber == measuring.pageNumber, "the two layout passes differ")
      try canvas.finish()
    } catch {
      try? FileManager.default.removeItem(at: output)
      throw error
    }
  }

  private static func iso8601(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
  }
}

/// Draws the dossier's pages in order on one canvas (one pass).
private final class DossierPages {
  let model: DossierModel
  let strings: DossierStrings
  let canvas: PDFCanvas
  let packageFolder: URL
  /// The page of each destination, from the measuring pass (empty while measuring).
  let sectionPages: [String: Int]
  /// The bookmark of the section being drawn, the parent of the incidents' bookmarks.
  private var sectionOutline: Int32 = 0

  init(model: DossierModel, strings: DossierStrings, canvas: PDFCanvas, packageFolder: URL, sectionPages: [String: Int])
  {
    self.model = model
    self.strings = strings
    self.canvas = canvas
    self.packageFolder = packageFolder
    self.sectionPages = sectionPages
  }

  private static let labelWidth = 44 * Page.millimetre

  /// The sections after the cover, as in the text dossier: (heading, destination name, drawing).
  private var sections: [(heading: String, destination: String, draw: () -> Void)] {
    var sections: [(String, String, () -> Void)] = [
      (strings.timelineHeading, "timeline", timeline),
      (strings.peopleHeading, "people", people),
      (strings.incidentsHeading, "incidents", incidents),
      (strings.messagesHeading, "messages", messageLog),
      (strings.exhibitsHeading, "exhibits", exhibitIndex),
      (strings.amendmentsHeading, "amendments", amendments),
    ]
    if model.accessAttempts != nil { sections.append((strings.accessHeading, "access", access)) }
    sections.append((strings.integrityHeading, "integrity", integrity))
    if model.includeHelpPage { sections.append((strings.helpHeading, "help", help)) }
    return sections
  }

  func drawAll() {
    cover()
    for section in sections {
      canvas.startOnFreshPage()
      canvas.destination(section.destination) {
        canvas.flow(section.heading, style: canvas.sectionHeading)
      }
      sectionOutline = canvas.addOutline(section.heading, destination: section.destination)
      rule()
      section.draw()
    }
  }

  // MARK: - Building blocks

  private func rule() {
    canvas.space(2)
    canvas.line(from: (Page.left, canvas.y), to: (Page.right, canvas.y), colour: .rule, width: 0.6)
    canvas.space(8)
  }

  /// A row of a facts table: the label in the left column, the value beside it, wrapped, across pages if long.
  private func field(_ label: String, _ value: String, style: TextStyle? = nil, indent: Double = 0) {
    let labelLayout = canvas.makeLayout(label, style: canvas.label, width: Self.labelWidth - 6)
    defer { canvas.release(labelLayout) }
    let valueLayout = canvas.makeLayout(
      value, style: style ?? canvas.body, width: Page.bodyWidth - indent - Self.labelWidth)
    defer { canvas.release(valueLayout) }
    // The label and the value's first line stay together.
    canvas.keepRoom(min(max(canvas.height(of: labelLayout), 16), 40))
    let top = canvas.y
    let page = canvas.pageNumber
    canvas.draw(labelLayout, x: Page.left + indent, top: top + 0.8, colour: Colour.grey)
    canvas.flow(valueLayout, colour: (style ?? canvas.body).colour, indent: indent + Self.labelWidth)
    if canvas.pageNumber == page { canvas.y = max(canvas.y, top + canvas.height(of: labelLayout)) }
    canvas.space(1.5)
  }

  private func dateTime(_ date: Date) -> String {
    strings.date(date, precision: .minute, timeZone: model.timeZone)
  }

  private func moment(_ moment: DossierModel.Moment) -> String {
    strings.moment(moment, shownIn: model.timeZone)
  }

  /// An exact text as a quoted block: grey background, a bar on the left, its own line breaks kept.
  private func quote(_ text: String, indent: Double) {
    let padding = 7.0
    canvas.space(2)
    canvas.flow(
      text, style: canvas.body, indent: indent + padding, width: Page.bodyWidth - indent - 2 * padding
    ) { [canvas] top, height in
      canvas.fillRectangle(
        x: Page.left + indent, y: top, width: Page.bodyWidth - indent, height: height + 0.3,
        colour: .quoteBackground)
      canvas.fillRectangle(x: Page.left + indent, y: top, width: 2.2, height: height + 0.3, colour: .quoteBar)
    }
    canvas.space(3)
  }

  // MARK: - Cover

  private func cover() {
    canvas.y = Page.bodyTop + 18
    canvas.flow(strings.title, style: canvas.titleStyle)
    canvas.space(6)
    rule()
    if let name = model.personName { field(strings.name, name, style: canvas.bold) }
    field(strings.period, strings.period(model))
    field(strings.produced, dateTime(model.producedAt))
    field(strings.timeZone, model.timeZone.identifier)
    canvas.space(6)
    field(strings.incidents, String(model.incidents.count))
    field(strings.messages, String(model.messages.count))
    field(strings.exhibits, String(model.exhibits.count))
    field(strings.people, String(model.people.count))
    canvas.space(6)
    field(strings.fingerprint, model.integrity.signingKeyFingerprint, style: canvas.mono)
    canvas.space(14)
    canvas.flow(strings.contentsHeading, style: canvas.subHeading)
    canvas.space(4)
    for section in sections {
      contentsEntry(section.heading, destination: section.destination)
    }
    canvas.space(14)
    canvas.flow(strings.pdfReadingGuide, style: canvas.small)
  }

  /// One line of the contents: the heading, dots, "sida 4", all a link to the section.
  private func contentsEntry(_ heading: String, destination: String) {
    let number = canvas.makeLayout(
      "\(strings.page) \(sectionPages[destination] ?? 0)", style: canvas.linkStyle, width: 60)
    defer { canvas.release(number) }
    let numberWidth = canvas.width(of: number)
    let title = canvas.makeLayout(heading, style: canvas.linkStyle, width: Page.bodyWidth - numberWidth - 40)
    defer { canvas.release(title) }
    let height = canvas.height(of: title)
    canvas.keepRoom(height)
    let top = canvas.y
    canvas.link(to: destination) {
      canvas.draw(title, x: Page.left + 8, top: top, colour: .link)
      canvas.line(
        from: (Page.left + 8 + canvas.width(of: title) + 4, top + height - 4),
        to: (Page.right - numberWidth - 4, top + height - 4), colour: .grey, width: 0.8, dotted: true)
      canvas.draw(number, x: Page.right - numberWidth, top: top, colour: .link)
    }
    canvas.y = top + height + 3
  }

  // MARK: - Timeline

  private func timeline() {
    if let chart = TimelineChart(model) {
      chart.draw(on: canvas, strings: strings)
      canvas.space(14)
    }
    guard !model.incidents.isEmpty else { return canvas.flow(strings.noIncidents, style: canvas.body) }
    for incident in model.incidents {
      var parts = [moment(incident.happened)]
      if !incident.categories.isEmpty {
        parts.append(incident.categories.map(strings.category).joined(separator: ", "))
      }
      parts.append(DossierText.oneLine(incident.title))
      if let place = incident.place { parts.append(DossierText.oneLine(place)) }
      if !incident.exhibitNumbers.isEmpty { parts.append(strings.exhibitList(incident.exhibitNumbers)) }
      let number = canvas.makeLayout("#\(incident.number)", style: canvas.bold, width: 40)
      canvas.keepRoom(canvas.height(of: number))
      let top = canvas.y
      canvas.link(to: "incident-\(incident.number)") {
        canvas.draw(number, x: Page.left, top: top, colour: .link)
      }
      canvas.release(number)
      canvas.flow(parts.joined(separator: " · "), style: canvas.body, indent: 40)
      canvas.space(3)
    }
  }

  // MARK: - People

  private func people() {
    guard !model.people.isEmpty else { return canvas.flow(strings.noPeople, style: canvas.body) }
    for (index, person) in model.people.enumerated() {
      if index > 0 { canvas.space(10) }
      canvas.keepRoom(50)
      canvas.flow(DossierText.oneLine(person.name), style: canvas.bold)
      canvas.space(2)
      if !person.aliases.isEmpty { field(strings.aliases, person.aliases.joined(separator: ", ")) }
      if !person.phones.isEmpty { field(strings.phones, person.phones.joined(separator: ", ")) }
      if !person.emails.isEmpty { field(strings.emails, person.emails.joined(separator: ", ")) }
      if !person.handles.isEmpty { field(strings.handles, person.handles.joined(separator: ", ")) }
      if let relation = person.relation { field(strings.relation, relation) }
      if !person.incidentNumbers.isEmpty {
        field(strings.incidents, person.incidentNumbers.map { "#\($0)" }.joined(separator: ", "))
      }
      if !person.messageNumbers.isEmpty {
        field(strings.messages, person.messageNumbers.map { "M\($0)" }.joined(separator: ", "))
      }
    }
  }

  // MARK: - Incidents

  private func incidents() {
    guard !model.incidents.isEmpty else { return canvas.flow(strings.noIncidents, style: canvas.body) }
    for (index, incident) in model.incidents.enumerated() {
      if index > 0 { canvas.space(20) }
      canvas.keepRoom(110)
      let name = "incident-\(incident.number)"
      let heading = "#\(incident.number) – \(DossierText.oneLine(incident.title))"
      canvas.destination(name) { canvas.flow(heading, style: canvas.subHeading) }
      canvas.addOutline(heading, destination: name, parent: sectionOutline)
      var line = [moment(incident.happened)]
      if !incident.categories.isEmpty { line.append(incident.categories.map(strings.category).joined(separator: ", ")) }
      canvas.flow(line.joined(separator: " · "), style: canvas.label)
      canvas.space(6)
      facts(incident)
      canvas.space(6)
      canvas.keepRoom(40)
      canvas.flow("\(strings.narrative):", style: canvas.bold)
      canvas.space(2)
      canvas.flow(incident.narrative, style: canvas.body, indent: 8)
      for number in incident.messageNumbers {
        canvas.space(8)
        if let message = model.message(number: number) {
          self.message(message, showIncident: false)
        } else {
          canvas.flow("M\(number): \(strings.missingMessage)", style: canvas.body)
        }
      }
      if !incident.exhibitNumbers.isEmpty {
        canvas.space(8)
        canvas.keepRoom(60)
        canvas.flow("\(strings.exhibits):", style: canvas.bold)
        canvas.space(3)
        for number in incident.exhibitNumbers {
          exhibitThumbnail(number)
        }
      }
    }
  }

  private func facts(_ incident: DossierModel.Incident) {
    field(strings.happened, "\(moment(incident.happened)) (\(strings.precision(incident.happened.precision)))")
    var written = dateTime(incident.writtenDown)
    if let amended = incident.amendedAt { written += "; \(strings.amendedOn) \(dateTime(amended))" }
    field(strings.writtenDown, written)
    if let noted = incident.quickNoteAt { field(strings.notedAt, "\(dateTime(noted)) (\(strings.quickNoteMark))") }
    if !incident.categories.isEmpty {
      field(strings.categories, incident.categories.map(strings.category).joined(separator: ", "))
    }
    if let place = incident.place { field(strings.place, place) }
    if !incident.people.isEmpty {
      let people = incident.people.map { "\(DossierText.oneLine($0.name)) (\(strings.role($0.role)))" }
      field(strings.people, people.joined(separator: ", "))
    }
    if let injuries = incident.injuries { field(strings.injuries, injuries) }
    if !incident.amounts.isEmpty {
      let amounts = incident.amounts.map { "\(strings.amountKind($0.kind)) \($0.amount) \($0.currency)" }
      field(strings.money, amounts.joined(separator: "; "))
    }
    if let reference = incident.policeReference { field(strings.policeReference, reference) }
  }

  /// An exhibit of an incident: its thumbnail (or a labelled box) beside its number, file names and SHA-256.
  private func exhibitThumbnail(_ number: Int) {
    guard let exhibit = model.exhibit(number: number) else {
      canvas.flow(strings.exhibit(number), style: canvas.body, indent: 8)
      return
    }
    let boxWidth = 60 * Page.millimetre
    let maxHeight = 45 * Page.millimetre
    let picture = ExhibitPicture.probe(packageFolder.appendingPathComponent(exhibit.fileName))
    var width = boxWidth
    var height = 22 * Page.millimetre
    if let picture {
      let scale = min(boxWidth / Double(picture.shownWidth), maxHeight / Double(picture.shownHeight))
      width = Double(picture.shownWidth) * scale
      height = Double(picture.shownHeight) * scale
    }
    let captionIndent = 8 + boxWidth + 10
    let captionWidth = Page.bodyWidth - captionIndent
    let caption = canvas.makeLayout(
      "\(strings.exhibit(exhibit.number)) – \(exhibit.fileName) (\(exhibit.originalName))", style: canvas.bold,
      width: captionWidth)
    let hash = canvas.makeLayout("SHA-256\n\(exhibit.sha256)", style: canvas.smallMono, width: captionWidth)
    defer {
      canvas.release(caption)
      canvas.release(hash)
    }
    let captionHeight = canvas.height(of: caption) + 3 + canvas.height(of: hash)
    canvas.keepRoom(max(height, captionHeight))
    let top = canvas.y
    let x = Page.left + 8
    if canvas.drawing {
      if let picture, let surface = picture.surface() {
        canvas.paint(
          image: surface, pixelWidth: picture.pixelWidth, pixelHeight: picture.pixelHeight,
          orientation: picture.orientation, x: x, y: top,
          width: width, height: height)
        canvas.strokeRectangle(x: x, y: top, width: width, height: height, colour: .rule, lineWidth: 0.5)
      } else {
        placeholder(exhibit, x: x, y: top, width: width, height: height)
      }
    }
    canvas.draw(caption, x: Page.left + captionIndent, top: top, colour: .text)
    canvas.draw(
      hash, x: Page.left + captionIndent, top: top + canvas.height(of: caption) + 3, colour: .text)
    canvas.y = top + max(height, captionHeight)
    canvas.space(8)
  }

  /// A grey box naming the file's type, where no picture can be shown.
  private func placeholder(_ exhibit: DossierModel.Exhibit, x: Double, y: Double, width: Double, height: Double) {
    canvas.fillRectangle(x: x, y: y, width: width, height: height, colour: .quoteBackground)
    canvas.strokeRectangle(x: x, y: y, width: width, height: height, colour: .rule, lineWidth: 0.8)
    let label = canvas.makeLayout("\(exhibit.mediaType)\n\(strings.noPreview)", style: canvas.small, width: width - 8)
    canvas.draw(label, x: x + 4, top: y + (height - canvas.height(of: label)) / 2, colour: .grey)
    canvas.release(label)
  }

  // MARK: - Messages

  private func messageLog() {
    guard !model.messages.isEmpty else { return canvas.flow(strings.noMessages, style: canvas.body) }
    for (index, message) in model.messages.enumerated() {
      if index > 0 { canvas.space(12) }
      self.message(message, showIncident: true)
    }
  }

  /// One message in full: number, channel, direction, parties, time, subject, the verbatim text, exhibits, origin.
  private func message(_ message: DossierModel.MessageItem, showIncident: Bool) {
    canvas.keepRoom(80)
    canvas.flow(
      "M\(message.number) · \(strings.channel(message.channel)) · \(strings.direction(message.direction))",
      style: canvas.bold)
    canvas.space(2)
    if let from = message.from { field(strings.from, from) }
    if !message.to.isEmpty { field(strings.to, message.to.joined(separator: ", ")) }
    var time = strings.unknown
    if let sent = message.sentAt {
      time = strings.date(sent, precision: .exact, timeZone: model.timeZone)
      if message.timeAmbiguous {
        time += " (\(DossierStrings.offset(sent, timeZone: model.timeZone))) – \(strings.ambiguous)"
      }
    }
    field(strings.sourceTime, time)
    if let subject = message.subject { field(strings.subject, subject) }
    if showIncident, let incident = message.incidentNumber { field(strings.incident, "#\(incident)") }
    canvas.keepRoom(30)
    canvas.flow("\(strings.text):", style: canvas.label)
    quote(message.text, indent: 0)
    if !message.exhibitNumbers.isEmpty {
      field(strings.exhibits, message.exhibitNumbers.map(strings.exhibit).joined(separator: ", "))
    }
    field(strings.provenance, message.provenance)
  }

  // MARK: - Exhibit index

  private func exhibitIndex() {
    guard !model.exhibits.isEmpty else { return canvas.flow(strings.noExhibits, style: canvas.body) }
    for (index, exhibit) in model.exhibits.enumerated() {
      if index > 0 { canvas.space(10) }
      canvas.keepRoom(100)
      canvas.flow(strings.exhibit(exhibit.number), style: canvas.bold)
      canvas.space(2)
      field(strings.fileInPackage, exhibit.fileName)
      field(strings.originalName, exhibit.originalName)
      field(strings.type, exhibit.mediaType)
      field(strings.size, strings.bytes(exhibit.size))
      field("SHA-256", exhibit.sha256, style: canvas.mono)
      if let capture = exhibit.capture { field(strings.capture, capture) }
      field(strings.added, dateTime(exhibit.addedAt))
    }
  }

  // MARK: - Amendments

  private func amendments() {
    let amended = model.incidents.filter { !$0.earlierVersions.isEmpty }
    guard !amended.isEmpty else { return canvas.flow(strings.noAmendments, style: canvas.body) }
    for (index, incident) in amended.enumerated() {
      if index > 0 { canvas.space(18) }
      canvas.keepRoom(90)
      canvas.flow("#\(incident.number) – \(DossierText.oneLine(incident.title))", style: canvas.subHeading)
      canvas.space(6)
      for (versionIndex, version) in incident.earlierVersions.enumerated() {
        if versionIndex > 0 { canvas.space(8) }
        canvas.keepRoom(60)
        canvas.flow("\(strings.versionWritten) \(dateTime(version.writtenAt))", style: canvas.bold)
        canvas.space(2)
        field(strings.titleLabel, version.title)
        canvas.flow("\(strings.narrative):", style: canvas.label)
        canvas.space(2)
        canvas.flow(version.narrative, style: canvas.body, indent: 8)
      }
    }
  }

  // MARK: - Failed attempts to open the journal

  private func access() {
    canvas.flow(strings.accessText, style: canvas.body)
    canvas.space(8)
    let attempts = model.accessAttempts ?? []
    guard !attempts.isEmpty else { return canvas.flow(strings.noAccessAttempts, style: canvas.body) }
    for attempt in attempts {
      let line = strings.accessLine(
        failedAt: dateTime(attempt.failedAt), command: DossierText.oneLine(attempt.command),
        viaTerminal: attempt.viaTerminal)
      canvas.flow("• " + line, style: canvas.body, indent: 8)
      canvas.space(1)
    }
  }

  // MARK: - Integrity

  private func integrity() {
    let integrity = model.integrity
    field(strings.chainHead, "\(strings.sequence) \(integrity.headSequence)")
    field(strings.hash, integrity.headHash, style: canvas.mono)
    var signature = Substring(integrity.signature)
    var chunks: [String] = []
    while !signature.isEmpty {
      chunks.append(String(signature.prefix(64)))
      signature = signature.dropFirst(64)
    }
    field(strings.signature, chunks.joined(separator: "\n"), style: canvas.mono)
    field(strings.fingerprint, integrity.signingKeyFingerprint, style: canvas.mono)
    canvas.space(8)
    canvas.flow(strings.withheld(integrity.withheldRecordCount), style: canvas.body)
    canvas.space(8)
    if !integrity.missingRecords.isEmpty {
      canvas.flow(strings.missingRecords(integrity.missingRecords), style: canvas.body)
      canvas.space(8)
    }
    list(strings.problems, integrity.problems, none: strings.noProblems)
    canvas.space(8)
    list(strings.clockNotices, integrity.clockNotices, none: strings.noClockNotices)
    canvas.space(8)
    canvas.keepRoom(40)
    canvas.flow("\(strings.anchorsHeading):", style: canvas.body)
    canvas.space(2)
    canvas.flow(strings.anchorsText, style: canvas.body, indent: 8)
    canvas.space(2)
    if integrity.anchors.isEmpty {
      canvas.flow(strings.noAnchors, style: canvas.body, indent: 8)
    } else {
      for anchor in integrity.anchors {
        canvas.flow(
          "• " + strings.anchorLine(sequence: anchor.sequence, code: anchor.code, madeAt: dateTime(anchor.madeAt)),
          style: canvas.body, indent: 8)
      }
      canvas.flow(strings.unanchored(integrity.unanchoredRecords), style: canvas.body, indent: 8)
    }
    canvas.space(12)
    canvas.keepRoom(80)
    canvas.flow("\(strings.howToCheck):", style: canvas.bold)
    canvas.space(4)
    quote(strings.verifyCommand, indent: 8)
    canvas.space(4)
    canvas.flow(strings.howToCheckText, style: canvas.body)
  }

  private func list(_ title: String, _ items: [String], none: String) {
    guard !items.isEmpty else { return canvas.flow(none, style: canvas.body) }
    canvas.keepRoom(30)
    canvas.flow("\(title):", style: canvas.body)
    canvas.space(2)
    for item in items {
      canvas.flow("– \(DossierText.oneLine(item))", style: canvas.body, indent: 10)
      canvas.space(1)
    }
  }

  // MARK: - Help

  private func help() {
    for entry in strings.helpEntries {
      let number = canvas.makeLayout(entry.number, style: canvas.bold, width: 100)
      canvas.keepRoom(canvas.height(of: number))
      let top = canvas.y
      canvas.draw(number, x: Page.left, top: top, colour: .text)
      canvas.release(number)
      canvas.flow(entry.text, style: canvas.body, indent: 110)
      canvas.space(6)
    }
  }
}
