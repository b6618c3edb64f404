import Foundation

/// Turns the raw bytes of one message into an `ImportedMessage`: headers, text, attachments.
struct EmailMessageParser {
  /// Where the message is, for the message and for errors.
  struct Place {
    /// 1-based number of the message in the file.
    var number: Int
    /// The `position` of the result ("message 3 at byte 1024", or "message" for an .eml).
    var position: String
    /// How errors name the message ("message 3", or "the message").
    var name: String
    /// The file line number of the message's first header line.
    var firstLine: Int
  }

  /// The file's name, for errors.
  var fileName: String
  /// The person's own addresses, lowercased.
  var me: Set<String>
  /// The zone for a Date field without one.
  var timeZone: TimeZone
  /// The longest header field (unfolded) a message or body part may have.
  var headerLimit = ImportLimits.standard.emailHeaderByteCount

  init(fileName: String, me: Set<String>, timeZone: TimeZone) {
    self.fileName = fileName
    self.me = me
    self.timeZone = timeZone
  }

  /// Header names of which an e-mail has at least one; a file with none of them is not an e-mail.
  private static let mailHeaders: Set<String> = [
    "from", "sender", "to", "cc", "bcc", "date", "subject", "message-id", "received", "return-path",
    "mime-version", "delivered-to", "reply-to", "in-reply-to", "references", "content-type",
  ]

  /// A body part without inner parts, in file order.
  private struct Leaf {
    var entity: MIMEEntity
    /// The media type, lowercased; "text/plain" (or "message/rfc822" in a digest) when not declared.
    var type: String
    var contentType: MIMEParameterizedValue?
    var disposition: MIMEParameterizedValue?
    /// 1-based number among all leaves of the message.
    var number: Int

    /// The file name from Content-Disposition, else from Content-Type's name, decoded.
    var fileName: String? {
      let raw = disposition?.parameters["filename"] ?? contentType?.parameters["name"]
      return raw.map(EncodedWords.decode).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// True for a part the sender attached rather than wrote as the text.
    var isAttachment: Bool {
      switch disposition?.value {
      case "attachment": true
      case "inline": disposition?.parameters["filename"] != nil
      default: false
      }
    }
  }

  /// The message in `raw` (the bytes exactly as stored, after mbox unescaping).
  func message(raw: [UInt8], at place: Place) throws -> ImportedMessage {
    let entity = MIMEEntity(raw[...])
    guard entity.startsWithHeader, !entity.headers.fields.isEmpty else {
      throw error(place, "line \(place.firstLine) is not an e-mail header")
    }
    try checkHeaders(entity, place: place)
    let headers = entity.headers
    guard headers.fields.contains(where: { Self.mailHeaders.contains($0.name.lowercased()) }) else {
      throw error(place, "\(place.name) has no e-mail headers such as From, To, Date or Subject")
    }

    var details: [String: String] = [:]
    for name in ["From", "To", "Cc", "Date", "Message-ID"] {
      if let value = headers.first(name) { details[name] = value }
    }
    let received = headers.all("Received")
    if !received.isEmpty { details["Received"] = received.joined(separator: "\n") }

    let sender = headers.first("From").flatMap { EmailAddresses.parties($0).first }
    let recipients = (headers.all("To") + headers.all("Cc")).flatMap(EmailAddresses.parties)
    let time = headers.first("Date").flatMap { EmailDate.parse($0, timeZone: timeZone) }
    let subject = headers.first("Subject").map(EncodedWords.decode)
    let direction: MessageDirection =
      sender?.address.map { me.contains($0.lowercased()) } == true ? .sent : .received

    var leaves: [Leaf] = []
    try collect(entity, defaultType: "text/plain", depth: 0, into: &leaves, place: place)
    var text = ""
    var attachments = [
      ImportedAttachment(name: "message-\(place.number).eml", declaredType: "message/rfc822", content: .bytes(raw))
    ]
    let textLeaf =
      leaves.firstIndex { $0.type == "text/plain" && !$0.isAttachment }
      ?? leaves.firstIndex { $0.type == "text/html" && !$0.isAttachment }
    var forwardedSubjects: [String] = []
    var htmlCount = 0
    for (index, leaf) in leaves.enumerated() {
      if index == textLeaf {
        let bytes = try decoded(leaf, place: place, role: "a body")
        let charset = leaf.contentType?.parameters["charset"]
        if let charset, MailCharset.encoding(charset) == nil {
          details["charset"] = "\(charset) (unknown, read as UTF-8)"
        }
        text = TransferDecoding.normalisingLineEndings(MailCharset.decode(bytes, charset: charset))
        if leaf.type == "text/html" { details["html"] = "only" }
        continue
      }
      let bytes = try decoded(leaf, place: place, role: "an attachment")
      let name: String
      if leaf.type == "message/rfc822" {
        forwardedSubjects.append(MIMEEntity(bytes[...]).headers.first("Subject").map(EncodedWords.decode) ?? "")
        name = "forwarded-\(forwardedSubjects.count).eml"
      } else if let fileName = leaf.fileName {
        name = fileName
      } else if leaf.type == "text/html" {
        htmlCount += 1
        name = htmlCount == 1 ? "body.html" : "body-\(htmlCount).html"
      } else {
        name = "part-\(leaf.number)"
      }
      let declared = leaf.contentType.map(\.value).flatMap { $0.isEmpty ? nil : $0 }
      attachments.append(ImportedAttachment(name: name, declaredType: declared, content: .bytes(bytes)))
    }
    if !forwardedSubjects.isEmpty { details["forwarded"] = forwardedSubjects.joined(separator: "\n") }

    return ImportedMessage(
      channel: .email, direction: direction, sender: sender, recipients: recipients, time: time, text: text,
      subject: subject, attachments: attachments, position: place.position, details: details)
  }

  /// Walks the MIME tree depth first, appending every part without inner parts to `leaves`.
  private func collect(
    _ entity: MIMEEntity, defaultType: String, depth: Int, into leaves: inout [Leaf], place: Place
  ) throws {
    try checkHeaders(entity, place: place)
    let contentType = entity.headers.first("Content-Type").map(MIMEParameterizedValue.init)
    var type = contentType?.value ?? defaultType
    if !type.contains("/") { type = "text/plain" }
    let disposition = entity.headers.first("Content-Disposition").map(MIMEParameterizedValue.init)
    guard type.hasPrefix("multipart/"), depth < 50 else {
      leaves.append(
        Leaf(entity: entity, type: type, contentType: contentType, disposition: disposition, number: leaves.count + 1))
      return
    }
    guard let boundary = contentType?.parameters["boundary"], !boundary.isEmpty else {
      throw error(place, "\(place.name) has a multipart body without a boundary")
    }
    let parts = try split(entity.body, boundary: boundary, place: place)
    let childType = type == "multipart/digest" ? "message/rfc822" : "text/plain"
    for part in parts {
      try collect(MIMEEntity(part), defaultType: childType, depth: depth + 1, into: &leaves, place: place)
    }
  }

  /// The parts of a multipart body between "--boundary" lines, up to the closing "--boundary--".
  ///
  /// The line break before each boundary line belongs to the boundary; the preamble and epilogue are dropped.
  private func split(_ body: ArraySlice<UInt8>, boundary: String, place: Place) throws -> [ArraySlice<UInt8>] {
    let delimiter = Array("--\(boundary)".utf8)
    var parts: [ArraySlice<UInt8>] = []
    var partStart: Int?
    var lineStart = body.startIndex
    while lineStart < body.endIndex {
      let newline = body[lineStart...].firstIndex(of: 0x0A)
      let next = newline.map { $0 + 1 } ?? body.endIndex
      let line = body[lineStart..<(newline ?? body.endIndex)]
      if line.starts(with: delimiter) {
        let rest = line.dropFirst(delimiter.count)
        let closing = rest.starts(with: [0x2D, 0x2D])
        let tail = closing ? rest.dropFirst(2) : rest
        if tail.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
          if let start = partStart {
            var end = lineStart
            if end > start, body[end - 1] == 0x0A { end -= 1 }
            if end > start, body[end - 1] == 0x0D { end -= 1 }
            parts.append(body[start..<max(start, end)])
          }
          if closing { return parts }
          partStart = next
        }
      }
      lineStart = next
    }
    if partStart == nil {
      throw error(place, "\(place.name) has a multipart body whose boundary \"\(boundary)\" never appears")
    }
    throw error(place, "\(place.name) has a multipart body whose final boundary \"--\(boundary)--\" is missing")
  }

  /// The body of `leaf` with its Content-Transfer-Encoding undone.
  private func decoded(_ leaf: Leaf, place: Place, role: String) throws -> [UInt8] {
    let encoding = leaf.entity.headers.first("Content-Transfer-Encoding")?
      .trimmingCharacters(in: .whitespaces).lowercased()
    switch encoding {
    case "base64":
      guard let bytes = TransferDecoding.base64(leaf.entity.body) else {
        throw error(place, "\(place.name) has \(role) whose base64 is invalid")
      }
      return bytes
    case "quoted-printable":
      return TransferDecoding.quotedPrintable(leaf.entity.body)
    default:
      return Array(leaf.entity.body)
    }
  }

  /// Ends the import at a header field longer than `headerLimit` (named, never quoted).
  private func checkHeaders(_ entity: MIMEEntity, place: Place) throws {
    for field in entity.headers.fields where field.value.utf8.count > headerLimit {
      let name = field.name.count > 40 ? "\(field.name.prefix(40))…" : field.name
      throw error(
        place, "\(place.name) has a header field (\(name)) longer than \(ImportLimits.describe(headerLimit))")
    }
  }

  /// An import error at `place`.
  private func error(_ place: Place, _ message: String) -> ImportError {
    ImportError(file: fileName, position: place.position, message: message)
  }
}
