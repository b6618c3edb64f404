import EvidenceImport
import Foundation

/// The e-mail reader over one file: a single message or an mbox (split on "From " lines), and for each message
/// EmailMessageParser: MIMEHeaders, encoded words, multipart bodies, base64 and quoted-printable, charsets, dates.
enum EmailHarness {
  static let stockholm = TimeZone(identifier: "Europe/Stockholm") ?? .gmt

  static func run(_ bytes: UnsafeRawBufferPointer) {
    let url = FuzzInput.file(bytes, named: "mail.mbox")
    try? EmailReader(url: url, me: ["anna@example.org"], timeZone: stockholm).read { _ in }
  }
}
