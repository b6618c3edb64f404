import Foundation
import Testing

@testable import EvidenceImport

/// Writes `bytes` to a new temporary file called `name` and returns its URL.
private func fixture(_ name: String, _ bytes: [UInt8]) throws -> URL {
  let folder = FileManager.default.temporaryDirectory.appendingPathComponent("email-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
  let url = folder.appendingPathComponent(name)
  try Data(bytes).write(to: url)
  return url
}

/// Writes `text` (UTF-8) to a new temporary file called `name` and returns its URL.
private func fixture(_ name: String, _ text: String) throws -> URL {
  try fixture(name, Array(text.utf8))
}

/// Every message the reader yields for `url`.
private func readAll(_ url: URL, me: [String] = [], timeZone: TimeZone = utc) throws -> [ImportedMessage] {
  var messages: [ImportedMessage] = []
  try EmailReader(url: url, me: me, timeZone: timeZone).read { messages.append($0) }
  return messages
}

/// The single message the reader yields for `text` saved as an .eml.
private func readOne(_ text: String, me: [String] = [], timeZone: TimeZone = utc) throws -> ImportedMessage {
  let messages = try readAll(try fixture("message.eml", text), me: me, timeZone: timeZone)
  try #require(messages.count == 1)
  return messages[0]
}

/// The error reading `url` throws, if it is an `ImportError`.
private func importError(_ url: URL) -> ImportError? {
  do {
    _ = try readAll(url)
    return nil
  } catch {
    return error as? ImportError
  }
}

/// Coordinated Universal Time, the zone most fixtures are read in.
private let utc = TimeZone(identifier: "UTC") ?? .current

/// The instant of a UTC calendar time.
private func instant(_ year: Int, _ month: Int, _ day: Int, _ hour: Int, _ minute: Int, _ second: Int) -> Date? {
  var calendar = Calendar(identifier: .gregorian)
  calendar.timeZone = utc
  return calendar.date(
    from: DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second))
}

/// The bytes of an attachment's content, or nil when it is not bytes.
private func bytes(_ attachment: ImportedAttachment?) -> [UInt8]? {
  guard case .bytes(let bytes) = attachment?.content else { return nil }
  return bytes
}

/// The text of an attachment's bytes, read as UTF-8.
private func text(_ attachment: ImportedAttachment?) -> String? {
  bytes(attachment).map { String(decoding: $0, as: UTF8.self) }
}

@Suite("Reading e-mail")
struct EmailTests {
  @Test("An .eml with a UTF-8 subject in adjacent encoded words reads without a space between the words")
  func encodedSubject() throws {
    let message = try readOne(
      """
      From: =?UTF-8?Q?Marko_M=C3=A4kinen?= <marko@example.com>
      To: Anna Berg <anna@example.se>
      Subject: =?UTF-8?B?RHUga29tbWVyIGF0dCA=?= =?UTF-8?Q?=C3?=
       =?UTF-8?Q?=A5ngra_dig?= nu
      Date: Sat, 28 Nov 2026 22:31:05 +0100 (CET)
      Message-ID: <abc123@mail.example.com>

      Du vet vad jag menar.

      """, me: ["ANNA@example.se"])
    #expect(message.subject == "Du kommer att ångra dig nu")
    #expect(message.sender == Party(name: "Marko Mäkinen", address: "marko@example.com"))
    #expect(message.recipients == [Party(name: "Anna Berg", address: "anna@example.se")])
    #expect(message.direction == .received)
    #expect(message.channel == .email)
    #expect(message.position == "message")
    #expect(message.text == "Du vet vad jag menar.\n")
    #expect(message.time == SourceTime(instant: try #require(instant(2026, 11, 28, 21, 31, 5))))
    #expect(
      message.details == [
        "From": "=?UTF-8?Q?Marko_M=C3=A4kinen?= <marko@example.com>",
        "To": "Anna Berg <anna@example.se>",
        "Date": "Sat, 28 Nov 2026 22:31:05 +0100 (CET)",
        "Message-ID": "<abc123@mail.example.com>",
      ])
  }

  @Test("A message from one of the person's own addresses is sent, whatever the case")
  func sentByMe() throws {
    let message = try readOne(
      "From: Anna <Anna@Example.SE>\nTo: marko@example.com\nSubject: Sluta\n\nSluta skriva till mig.\n",
      me: ["anna@example.se"])
    #expect(message.direction == .sent)
    #expect(message.time == nil)
    #expect(message.details["Date"] == nil)
  }

  @Test("An encoded word next to plain text keeps the space between them")
  func encodedWordBesidePlainText() {
    #expect(EncodedWords.decode("=?ISO-8859-1?Q?H=E4r?= kommer jag") == "Här kommer jag")
    #expect(EncodedWords.decode("Re: =?windows-1252?Q?=80_100?=") == "Re: € 100")
    #expect(EncodedWords.decode("=?us-ascii?Q?a?=  =?latin1?Q?=F6?=") == "aö")
    #expect(EncodedWords.decode("=?UTF-8?B?not base64!?=") == "=?UTF-8?B?not base64!?=")
  }

  @Test("A quoted-printable ISO-8859-1 body decodes å ä ö and keeps the space of a trailing =20")
  func quotedPrintableLatin1() throws {
    let message = try readOne(
      """
      From: marko@example.com
      Subject: Svar
      Content-Type: text/plain; charset="ISO-8859-1"
      Content-Transfer-Encoding: quoted-printable

      Jag vet var du bor. =E5 =E4 =F6=20
      Kom ih=E5g det, det h=E4r =
      =E4r ingen sk=E4mt.

      """)
    #expect(message.text == "Jag vet var du bor. å ä ö \nKom ihåg det, det här är ingen skämt.\n")
    #expect(message.sender == Party(name: nil, address: "marko@example.com"))
  }

  @Test("A multipart/alternative text with a PDF attachment gives the plain text, the HTML and the PDF")
  func alternativeWithPDF() throws {
    let pdf = Array("%PDF-1.4 hot".utf8)
    let encodedPDF = Data(pdf).base64EncodedString()
    let message = try readOne(
      """
      From: marko@example.com
      To: anna@example.se
      Subject: Bilaga
      MIME-Version: 1.0
      Content-Type: multipart/mixed; boundary="outer;1"

      This is a multi-part message in MIME format.
      --outer;1
      Content-Type: multipart/alternative; boundary=inner

      --inner
      Content-Type: text/plain; charset=utf-8
      Content-Transfer-Encoding: 8bit

      Läs bilagan.
      --inner
      Content-Type: text/html; charset=utf-8

      <p>Läs bilagan.</p>
      --inner--
      --outer;1
      Content-Type: application/pdf; name="fallback.pdf"
      Content-Disposition: attachment; filename*=UTF-8''%C3%A5tal%20nu.pdf
      Content-Transfer-Encoding: base64

      \(encodedPDF.prefix(8))
        \(encodedPDF.dropFirst(8))
      --outer;1
      Content-Type: application/octet-stream
      Content-Disposition: attachment;
       filename*0*=ISO-8859-1''hot%E4;
       filename*1="brev.txt"

      raw
      --outer;1
      Content-Type: image/jpeg; name="=?UTF-8?Q?bild_=C3=B6.jpg?="
      Content-Transfer-Encoding: base64

      /9j/
      --outer;1
      Content-Type: image/png

      png
      --outer;1--
      epilogue

      """)
    #expect(message.text == "Läs bilagan.")
    #expect(message.details["html"] == nil)
    #expect(
      message.attachments.map(\.name) == [
        "message-1.eml", "body.html", "åtal nu.pdf", "hotäbrev.txt", "bild ö.jpg", "part-6",
      ])
    #expect(
      message.attachments.map(\.declaredType) == [
        "message/rfc822", "text/html", "application/pdf", "application/octet-stream", "image/jpeg", "image/png",
      ])
    #expect(text(message.attachments[1]) == "<p>Läs bilagan.</p>")
    #expect(bytes(message.attachments[2]) == pdf)
    #expect(text(message.attachments[3]) == "raw")
    #expect(bytes(message.attachments[4]) == [0xFF, 0xD8, 0xFF])
    #expect(text(message.attachments[5]) == "png")
  }

  @Test("A message with only an HTML body uses the HTML as the text and says so")
  func htmlOnly() throws {
    let message = try readOne(
      """
      From: marko@example.com
      Content-Type: multipart/alternative; boundary=b

      --b
      Content-Type: text/html; charset=windows-1252
      Content-Transfer-Encoding: quoted-printable

      <b>Betala =80500</b>
      --b--

      """)
    #expect(message.text == "<b>Betala €500</b>")
    #expect(message.details["html"] == "only")
    #expect(message.attachments.map(\.name) == ["message-1.eml"])
  }

  @Test("A forwarded message/rfc822 part is kept whole and its subject noted, and the outer text stays alone")
  func forwarded() throws {
    let inner = """
      From: okand@example.net
      Subject: =?UTF-8?Q?Jag_ser_dig_=F0=9F=91=80?=

      Inner threat.
      """
    let message = try readOne(
      """
      From: vän@example.com
      Subject: Fwd: look
      Content-Type: multipart/mixed; boundary="fw"

      --fw
      Content-Type: text/plain

      Look at what I got.
      --fw
      Content-Type: message/rfc822
      Content-Disposition: attachment; filename="original.eml"

      \(inner)
      --fw--

      """)
    #expect(message.text == "Look at what I got.")
    #expect(message.details["forwarded"] == "Jag ser dig 👀")
    #expect(message.attachments.map(\.name) == ["message-1.eml", "forwarded-1.eml"])
    #expect(message.attachments[1].declaredType == "message/rfc822")
    #expect(text(message.attachments[1]) == inner)
    #expect(message.sender == Party(name: nil, address: "vän@example.com"))
  }

  @Test("Received headers are kept top first, unfolded, and the raw message is byte-exact with CRLF")
  func receivedChainAndRawBytes() throws {
    let raw =
      "Received: from mx2.example.se (mx2.example.se [192.0.2.2])\r\n"
      + "\tby mail.example.se; Sat, 28 Nov 2026 22:31:09 +0100\r\n"
      + "Received: from relay.example.net by mx2.example.se; Sat, 28 Nov 2026 22:31:07 +0100\r\n"
      + "Received: from [198.51.100.7] by relay.example.net; Sat, 28 Nov 2026 21:31:06 +0000\r\n"
      + "From: \"Okänd\" <x@example.net>\r\nSubject: Hej\r\nDate: 28 Nov 2026 22:31:05 +0100\r\n\r\n"
      + "Rad ett\r\nRad två\r\n"
    let url = try fixture("crlf.eml", Array(raw.utf8))
    var progress: [(Int64, Int64)] = []
    var messages: [ImportedMessage] = []
    try EmailReader(url: url, timeZone: utc).read(progress: { progress.append(($0, $1)) }, { messages.append($0) })
    let message = try #require(messages.first)
    #expect(
      message.details["Received"]
        == "from mx2.example.se (mx2.example.se [192.0.2.2])\tby mail.example.se; Sat, 28 Nov 2026 22:31:09 +0100\n"
        + "from relay.example.net by mx2.example.se; Sat, 28 Nov 2026 22:31:07 +0100\n"
        + "from [198.51.100.7] by relay.example.net; Sat, 28 Nov 2026 21:31:06 +0000")
    #expect(message.text == "Rad ett\nRad två\n")
    #expect(message.sender == Party(name: "Okänd", address: "x@example.net"))
    #expect(
      message.attachments.first
        == ImportedAttachment(
          name: "message-1.eml", declaredType: "message/rfc822", content: .bytes(Array(raw.utf8))))
    #expect(progress.last.map { [$0.0, $0.1] } == [Int64(raw.utf8.count), Int64(raw.utf8.count)])
  }

  @Test("Address lists keep quoted names with commas together and read comments, groups and encoded names")
  func addressLists() throws {
    let message = try readOne(
      """
      From: "Berg, Anna (work)" <anna@example.se>
      To: "Name, With Comma" <one@example.com>, two@example.com,
       three@example.com (Tre Tresson), Friends: four@example.com, <five@example.com>;
      Cc: =?UTF-8?Q?S=C3=B6ren?= <soren@example.se>, "Quote \\"Q\\" Person" <q@example.com>
      Subject: list

      body
      """)
    #expect(message.sender == Party(name: "Berg, Anna (work)", address: "anna@example.se"))
    #expect(
      message.recipients == [
        Party(name: "Name, With Comma", address: "one@example.com"),
        Party(name: nil, address: "two@example.com"),
        Party(name: "Tre Tresson", address: "three@example.com"),
        Party(name: nil, address: "four@example.com"),
        Party(name: nil, address: "five@example.com"),
        Party(name: "Sören", address: "soren@example.se"),
        Party(name: "Quote \"Q\" Person", address: "q@example.com"),
      ])
    #expect(message.text == "body")
  }

  @Test(
    "Dates in RFC 5322 and obsolete forms read to the right instant",
    arguments: [
      ("Sat, 28 Nov 2026 22:31:05 +0100", 21, 31, 5),
      ("28 Nov 2026 22:31:05 +0100 (CET)", 21, 31, 5),
      ("Sat, 28 Nov 2026 21:31:05 GMT", 21, 31, 5),
      ("Sat, 28 Nov 2026 16:31:05 EST", 21, 31, 5),
      ("Sat, 28 Nov 26 21:31 UT", 21, 31, 0),
      ("Sat Nov 28 13:31:05 2026 -0800", 21, 31, 5),
      ("Sat,  28   Nov 2026 22:01:05 +0030", 21, 31, 5),
    ])
  func dates(raw: String, hour: Int, minute: Int, second: Int) throws {
    let time = EmailDate.parse(raw, timeZone: utc)
    #expect(time == SourceTime(instant: try #require(instant(2026, 11, 28, hour, minute, second))))
  }

  @Test("A date without a zone is read in the given zone and marked ambiguous; a broken one gives no time")
  func datesWithoutZone() throws {
    let stockholm = try #require(TimeZone(identifier: "Europe/Stockholm"))
    let message = try readOne(
      "From: a@example.com\nDate: Sat, 28 Nov 2026 22:31:05\n\nx", timeZone: stockholm)
    #expect(message.time == SourceTime(instant: try #require(instant(2026, 11, 28, 21, 31, 5)), isAmbiguous: true))
    let broken = try readOne("From: a@example.com\nDate: yesterday at nine\n\nx")
    #expect(broken.time == nil)
    #expect(broken.details["Date"] == "yesterday at nine")
    #expect(EmailDate.parse("Sat, 31 Feb 2026 10:00:00 +0000", timeZone: utc) == nil)
    #expect(EmailDate.parse("Sat, 28 Nov 2026 25:00:00 +0000", timeZone: utc) == nil)
  }

  @Test("An mboxrd mailbox yields three messages, unescapes >From lines and keeps each raw message byte-exact")
  func mboxrd() throws {
    let first = "From marko@example.com Sat Nov 28 22:31:05 2026\n"
    let firstBody = "From: marko@example.com\nSubject: ett\n\nFörsta.\nFrom here on, not a separator.\n"
    let second = "From MAILER-DAEMON Sun Nov 29 08:00:00 2026\n"
    let secondFile =
      "From: marko@example.com\nSubject: två\nContent-Type: text/plain; charset=x-unknown\n\n"
      + ">From the start\n>>From quoted\n> From not escaped\n\nslut\n"
    let secondRaw =
      "From: marko@example.com\nSubject: två\nContent-Type: text/plain; charset=x-unknown\n\n"
      + "From the start\n>From quoted\n> From not escaped\n\nslut\n"
    let third = "From anna@example.se Mon Nov 30 09:00:00 2026\n"
    let thirdBody = "From: anna@example.se\nTo: marko@example.com\nSubject: tre\n\nSluta.\n"
    let mailbox = first + firstBody + "\n" + second + secondFile + "\n" + third + thirdBody + "\n"
    let url = try fixture("box.mbox", mailbox)
    var messages: [ImportedMessage] = []
    var progress: [Int64] = []
    try EmailReader(url: url, me: ["anna@example.se"], timeZone: utc)
      .read(
        progress: { done, total in
          progress.append(done)
          #expect(total == Int64(mailbox.utf8.count))
        },
        { messages.append($0) })
    try #require(messages.count == 3)
    let secondOffset = (first + firstBody + "\n").utf8.count
    let thirdOffset = (first + firstBody + "\n" + second + secondFile + "\n").utf8.count
    #expect(
      messages.map(\.position) == [
        "message 1 at byte 0", "message 2 at byte \(secondOffset)", "message 3 at byte \(thirdOffset)",
      ])
    #expect(messages.map(\.subject) == ["ett", "två", "tre"])
    #expect(messages[0].text == "Första.\nFrom here on, not a separator.\n")
    #expect(messages[1].text == "From the start\n>From quoted\n> From not escaped\n\nslut\n")
    #expect(messages[1].details["charset"] == "x-unknown (unknown, read as UTF-8)")
    #expect(messages[1].details["mbox-envelope"] == "From MAILER-DAEMON Sun Nov 29 08:00:00 2026")
    #expect(bytes(messages[0].attachments.first) == Array(firstBody.utf8))
    #expect(messages[1].attachments.first?.name == "message-2.eml")
    #expect(bytes(messages[1].attachments.first) == Array(secondRaw.utf8))
    #expect(bytes(messages[2].attachments.first) == Array(thirdBody.utf8))
    #expect(messages.map(\.direction) == [.received, .received, .sent])
    #expect(progress.last == Int64(mailbox.utf8.count))
    #expect(progress == progress.sorted())
  }

  @Test("The line reader gives the same lines whatever the chunk size")
  func chunkedLines() throws {
    let text = "one\r\ntwo\n\nthree without end"
    let url = try fixture("lines.txt", text)
    for size in [1, 2, 3, 7, 64] {
      let handle = try FileHandle(forReadingFrom: url)
      defer { try? handle.close() }
      let reader = ChunkedLineReader(handle: handle, chunkSize: size)
      var lines: [String] = []
      while let line = try reader.nextLine() { lines.append(String(decoding: line, as: UTF8.self)) }
      #expect(lines == ["one\r\n", "two\n", "\n", "three without end"])
      #expect(reader.offset == Int64(text.utf8.count))
    }
  }

  @Test("A base64 text body ignores whitespace, and a body in an unknown transfer encoding is kept as it is")
  func base64Body() throws {
    let message = try readOne(
      "From: a@example.com\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
        + "SmFnIHNlciBk\n aWcg8J+RgA==\n")
    #expect(message.text == "Jag ser dig 👀")
    let unknown = try readOne("From: a@example.com\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 a\n")
    #expect(unknown.text == "begin 644 a\n")
  }

  @Test("An empty file is an error")
  func emptyFile() throws {
    let error = importError(try fixture("empty.eml", ""))
    #expect(error == ImportError(file: "empty.eml", message: "the file is empty"))
  }

  @Test("A file that does not start with a header is not an e-mail")
  func garbage() throws {
    let error = importError(try fixture("notes.eml", "Just some notes\nabout nothing\n"))
    #expect(error == ImportError(file: "notes.eml", position: "message", message: "line 1 is not an e-mail header"))
    let binary = importError(try fixture("photo.eml", [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46]))
    #expect(binary?.message == "line 1 is not an e-mail header")
    let noMailHeaders = importError(try fixture("note.eml", "Note: call the police\n\ntext\n"))
    #expect(noMailHeaders?.message == "the message has no e-mail headers such as From, To, Date or Subject")
  }

  @Test("Invalid base64 in an attachment of the third message names that message")
  func invalidBase64() throws {
    let good = "From: a@example.com\nSubject: ok\n\nok\n"
    let bad = """
      From: a@example.com
      Content-Type: multipart/mixed; boundary=z

      --z
      Content-Type: text/plain

      see attached
      --z
      Content-Type: image/png
      Content-Transfer-Encoding: base64

      iVBORw0K*GgoAAAANSUhEUg==
      --z--

      """
    let mailbox =
      "From a Sat Nov 28 22:31:05 2026\n" + good + "\n" + "From a Sat Nov 28 22:31:05 2026\n" + good
      + "\n" + "From a Sat Nov 28 22:31:05 2026\n" + bad
    let offset = ("From a Sat Nov 28 22:31:05 2026\n" + good + "\n").utf8.count * 2
    let error = importError(try fixture("box.mbox", mailbox))
    #expect(
      error
        == ImportError(
          file: "box.mbox", position: "message 3 at byte \(offset)",
          message: "message 3 has an attachment whose base64 is invalid"))
  }

  @Test("A multipart body without its final boundary, or without a boundary at all, is an error")
  func brokenMultipart() throws {
    let unterminated = importError(
      try fixture(
        "cut.eml",
        "From: a@example.com\nContent-Type: multipart/mixed; boundary=b1\n\n--b1\nContent-Type: text/plain\n\ncut off\n"
      ))
    #expect(
      unterminated
        == ImportError(
          file: "cut.eml", position: "message",
          message: "the message has a multipart body whose final boundary \"--b1--\" is missing"))
    let noBoundary = importError(
      try fixture("nob.eml", "From: a@example.com\nContent-Type: multipart/mixed\n\n--b1\n\nx\n--b1--\n"))
    #expect(noBoundary?.message == "the message has a multipart body without a boundary")
    let neverAppears = importError(
      try fixture("never.eml", "From: a@example.com\nContent-Type: multipart/mixed; boundary=q\n\nplain text\n"))
    #expect(neverAppears?.message == "the message has a multipart body whose boundary \"q\" never appears")
  }
}
