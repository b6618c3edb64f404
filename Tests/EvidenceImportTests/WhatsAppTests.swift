import Foundation
import Testing

@testable import EvidenceImport

private typealias F = WhatsAppFixtures

/// U+200E LEFT-TO-RIGHT MARK, as iOS writes it.
private let lrm = "\u{200E}"

@Suite("WhatsApp reader")
struct WhatsAppTests {
  // MARK: Formats

  @Test func anAndroidSwedishExportWith24HourTimesIsReadExactly() throws {
    let url = try F.chat([
      "2026-11-28 22:30 - Meddelanden och samtal är end-to-end-krypterade. Ingen utanför chatten kan läsa dem.",
      "2026-11-28 22:31 - Marko: Jag vet var du bor",
      "2026-11-28 22:32 - Anna: Sluta skriva till mig",
      "2026-11-28 22:33 - Marko: <Media utelämnad>",
      "2026-11-28 22:34 - Marko: IMG-20261128-WA0003.jpg (fil bifogad)",
      "Titta här",
    ])
    let messages = try F.read(url)
    #expect(
      messages == [
        try F.received("Jag vet var du bor", at: "2026-11-28T22:31:00+01:00", line: 2),
        try F.sent("Sluta skriva till mig", at: "2026-11-28T22:32:00+01:00", line: 3),
        try F.received(
          "", at: "2026-11-28T22:33:00+01:00", line: 4,
          attachments: [ImportedAttachment(name: "media", content: .missing("<Media utelämnad>"))]
        ),
        try F.received(
          "Titta här", at: "2026-11-28T22:34:00+01:00", line: 5,
          attachments: [
            ImportedAttachment(name: "IMG-20261128-WA0003.jpg", content: .missing("not in the export"))
          ]
        ),
      ]
    )
  }

  @Test func anAndroidEnglishExportWith12HourTimesAndNarrowNoBreakSpacesIsReadExactly() throws {
    let url = try F.chat([
      "11/28/26, 10:31\u{202F}PM - Marko: I know where you live",
      "11/28/26, 10:32\u{00A0}PM - Anna: Stop writing to me",
      "11/29/26, 12:05\u{202F}AM - Marko: <Media omitted>",
      "11/29/26, 9:15 a.m. - Marko: Good morning",
      "11/29/26, 12:00 p.m. - Marko: Noon",
    ])
    let messages = try F.read(url, me: "anna ")
    #expect(
      messages == [
        try F.received("I know where you live", at: "2026-11-28T22:31:00+01:00", line: 1),
        try F.sent("Stop writing to me", at: "2026-11-28T22:32:00+01:00", line: 2),
        try F.received(
          "", at: "2026-11-29T00:05:00+01:00", line: 3,
          attachments: [ImportedAttachment(name: "media", content: .missing("<Media omitted>"))]
        ),
        try F.received("Good morning", at: "2026-11-29T09:15:00+01:00", line: 4),
        try F.received("Noon", at: "2026-11-29T12:00:00+01:00", line: 5),
      ]
    )
  }

  @Test func swedishFmAndEmAreReadAsMorningAndAfternoon() throws {
    let url = try F.chat([
      "28/11/2026, 10:31 fm - Marko: förmiddag",
      "28/11/2026, 10:31 em - Marko: eftermiddag",
    ])
    let messages = try F.read(url)
    #expect(
      messages.map(\.time?.instant) == [try F.at("2026-11-28T10:31:00+01:00"), try F.at("2026-11-28T22:31:00+01:00")])
  }

  @Test func anIOSExportWithDirectionMarksAndAttachmentsIsReadExactly() throws {
    let url = try F.chat(
      [
        "\(lrm)[2026-11-28 22:30:00] Marko: \(lrm)Messages and calls are end-to-end encrypted. No one can read them.",
        "[2026-11-28 22:31:05] Marko: Svara nu",
        "\(lrm)[2026-11-28 22:31:40] Marko: \(lrm)<attached: 00000012-PHOTO-2026-11-28-22-31-05.jpg>",
        "\(lrm)[2026-11-28 22:32:00] Marko: \(lrm)image omitted",
        "[2026-11-28 22:33:00] Anna: Här är \(lrm)inget märke att ta bort",
      ], named: "_chat.txt")
    let messages = try F.read(url)
    #expect(
      messages == [
        try F.received("Svara nu", at: "2026-11-28T22:31:05+01:00", line: 2),
        try F.received(
          "", at: "2026-11-28T22:31:40+01:00", line: 3,
          attachments: [
            ImportedAttachment(
              name: "00000012-PHOTO-2026-11-28-22-31-05.jpg", content: .missing("not in the export"))
          ]
        ),
        try F.received(
          "", at: "2026-11-28T22:32:00+01:00", line: 4,
          attachments: [ImportedAttachment(name: "media", content: .missing("image omitted"))]
        ),
        try F.sent("Här är \(lrm)inget märke att ta bort", at: "2026-11-28T22:33:00+01:00", line: 5),
      ]
    )
  }

  @Test func iOSBracketedDayFirstAndTwelveHourTimesAreRead() throws {
    let url = try F.chat([
      "[28/11/2026, 22:31:05] Marko: day first",
      "[29/11/2026, 10:31:05\u{202F}PM] Marko: twelve hour",
    ])
    let messages = try F.read(url)
    #expect(
      messages.map(\.time?.instant) == [try F.at("2026-11-28T22:31:05+01:00"), try F.at("2026-11-29T22:31:05+01:00")])
  }

  @Test func aZipExportGivesThePhotoBytesAndMarksAbsentMediaAsMissing() throws {
    let photo: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0xFF, 0xD9]
    let url = try F.zip([
      (
        "_chat.txt",
        F.text([
          "[2026-11-28 22:31:05] Marko: \(lrm)<attached: 00000012-PHOTO-2026-11-28-22-31-05.jpg> Look at your door",
          "[2026-11-28 22:32:00] Marko: \(lrm)<attached: 00000013-PHOTO-2026-11-28-22-32-00.jpg>",
        ])
      ),
      ("00000012-PHOTO-2026-11-28-22-31-05.jpg", photo),
    ])
    let messages = try F.read(url)
    #expect(
      messages == [
        try F.received(
          "Look at your door", at: "2026-11-28T22:31:05+01:00", line: 1,
          attachments: [ImportedAttachment(name: "00000012-PHOTO-2026-11-28-22-31-05.jpg", content: .bytes(photo))]
        ),
        try F.received(
          "", at: "2026-11-28T22:32:00+01:00", line: 2,
          attachments: [
            ImportedAttachment(name: "00000013-PHOTO-2026-11-28-22-32-00.jpg", content: .missing("not in the export"))
          ]
        ),
      ]
    )
  }

  @Test func anAndroidZipIsFoundByItsChatNameAndAttachedFilesComeFromIt() throws {
    let photo: [UInt8] = Array("not really a jpeg".utf8)
    let url = try F.zip([
      ("IMG-20261128-WA0003.jpg", photo),
      ("WhatsApp Chat with Marko.txt", F.text(["28/11/2026, 22:31 - Marko: IMG-20261128-WA0003.jpg (file attached)"])),
    ])
    let messages = try F.read(url)
    #expect(
      messages == [
        try F.received(
          "", at: "2026-11-28T22:31:00+01:00", line: 1,
          attachments: [ImportedAttachment(name: "IMG-20261128-WA0003.jpg", content: .bytes(photo))]
        )
      ]
    )
  }

  // MARK: Text

  @Test func multiLineMessagesKeepTheirExactTextWithEmojiAndMarkup() throws {
    let url = try F.chat(
      [
        "28/11/2026, 22:31 - Marko: First line 😡",
        "",
        "  indented & <b>bold</b> \"quoted\" 'single'",
        "28/11/2026, 22:32 - Marko: Tom & Jerry <3 “smart quotes”  two  spaces ",
      ], newline: "\r\n")
    let messages = try F.read(url)
    #expect(
      messages.map(\.text) == [
        "First line 😡\n\n  indented & <b>bold</b> \"quoted\" 'single'",
        "Tom & Jerry <3 “smart quotes”  two  spaces ",
      ])
    #expect(messages.map(\.position) == ["line 1", "line 4"])
  }

  @Test func systemLinesAreSkippedEvenWhenTheyContainAColon() throws {
    let url = try F.chat([
      "28/11/2026, 22:30 - Messages and calls are end-to-end encrypted. No one outside of this chat can read them.",
      "28/11/2026, 22:31 - Marko changed the group name",
      "28/11/2026, 22:32 - Marko changed the subject from \"A\" to \"Re: plans\"",
      "28/11/2026, 22:33 - Marko Petrović Jr: a name with spaces: and a colon in the text",
      "28/11/2026, 22:34 - You blocked this contact. Tap to unblock.",
      "28/11/2026, 22:35 - Du blockerade den här kontakten. Tryck för att avblockera.",
    ])
    let messages = try F.read(url)
    #expect(
      messages == [
        try F.received(
          "a name with spaces: and a colon in the text", at: "2026-11-28T22:33:00+01:00", line: 4,
          from: "Marko Petrović Jr")
      ]
    )
  }

  @Test func markerWordsTypedByHandStayText() throws {
    let url = try F.chat([
      "28/11/2026, 22:31 - Marko: see this (file attached)",
      "28/11/2026, 22:32 - Marko: <attached: >",
    ])
    let messages = try F.read(url)
    #expect(messages.map(\.text) == ["see this (file attached)", "<attached: >"])
    #expect(messages.allSatisfy { $0.attachments.isEmpty })
  }

  @Test func aSenderThatIsAPhoneNumberGoesToTheAddress() throws {
    let url = try F.chat(["28/11/2026, 22:31 - \u{202A}+46 70 123 45 67\u{202C}: Vem är du?"])
    let messages = try F.read(url)
    #expect(messages.first?.sender == Party(address: "+46 70 123 45 67"))
    #expect(messages.first?.direction == .received)
  }

  @Test func withoutMeEveryMessageIsReceived() throws {
    let url = try F.chat(["28/11/2026, 22:31 - Anna: hej"])
    #expect(try F.read(url, me: nil).map(\.direction) == [.received])
  }

  @Test func blankLinesBeforeTheFirstTimestampAreAllowed() throws {
    let url = try F.chat(["", "  ", "28/11/2026, 22:31 - Marko: hej"])
    #expect(try F.read(url).map(\.position) == ["line 3"])
  }

  // MARK: Date order

  @Test func aFirstNumberOver12MeansDayFirst() throws {
    let url = try F.chat(["01/02/2026, 10:00 - Marko: a", "13/02/2026, 10:00 - Marko: b"])
    let messages = try F.read(url)
    #expect(
      messages.map(\.time?.instant) == [try F.at("2026-02-01T10:00:00+01:00"), try F.at("2026-02-13T10:00:00+01:00")])
    #expect(messages.allSatisfy { $0.details.isEmpty })
  }

  @Test func aSecondNumberOver12MeansMonthFirst() throws {
    let url = try F.chat(["01/02/2026, 10:00 - Marko: a", "02/13/2026, 10:00 - Marko: b"])
    let messages = try F.read(url)
    #expect(
      messages.map(\.time?.instant) == [try F.at("2026-01-02T10:00:00+01:00"), try F.at("2026-02-13T10:00:00+01:00")])
  }

  @Test func anUnsettled24HourFileIsAssumedDayFirstAndSaysSo() throws {
    let url = try F.chat(["01/02/2026, 10:00 - Marko: a"])
    let messages = try F.read(url)
    #expect(messages.first?.time?.instant == (try F.at("2026-02-01T10:00:00+01:00")))
    #expect(messages.first?.details == ["dateOrder": "assumed dmy"])
  }

  @Test func anUnsettled12HourFileIsAssumedMonthFirstAndSaysSo() throws {
    let url = try F.chat(["01/02/26, 10:00\u{202F}AM - Marko: a"])
    let messages = try F.read(url)
    #expect(messages.first?.time?.instant == (try F.at("2026-01-02T10:00:00+01:00")))
    #expect(messages.first?.details == ["dateOrder": "assumed mdy"])
  }

  @Test func theDateOrderOptionOverridesTheInference() throws {
    let url = try F.chat(["01/02/2026, 10:00 - Marko: a"])
    let messages = try F.read(url, dateOrder: .mdy)
    #expect(messages.first?.time?.instant == (try F.at("2026-01-02T10:00:00+01:00")))
    #expect(messages.first?.details == [:])
  }

  @Test func aDateOrderOptionThatMakesADateImpossibleIsAnErrorWithTheLine() throws {
    let url = try F.chat(["01/02/2026, 10:00 - Marko: a", "13/02/2026, 10:00 - Marko: b"])
    let error = try #require(F.error(url, dateOrder: .mdy))
    #expect(error.position == "line 2")
    #expect(error.message.contains("does not exist when read as mdy"))
  }

  @Test func datesThatContradictEachOtherAreAnError() throws {
    let url = try F.chat(["13/02/2026, 10:00 - Marko: a", "02/13/2026, 10:00 - Marko: b"])
    let error = try #require(F.error(url))
    #expect(error.position == "line 2")
    #expect(error.message.contains("choose the date order by hand"))
  }

  // MARK: Daylight saving time

  @Test func theRepeatedAutumnHourKeepsMessagesInFileOrder() throws {
    let url = try F.chat([
      "2026-10-25 01:50 - Marko: före",
      "2026-10-25 02:30 - Marko: första gången",
      "2026-10-25 02:50 - Marko: senare sommartid",
      "2026-10-25 02:30 - Marko: andra gången",
      "2026-10-25 02:30 - Marko: samma minut igen",
      "2026-10-25 03:10 - Marko: efter",
    ])
    let messages = try F.read(url)
    #expect(
      messages.map(\.time) == [
        SourceTime(instant: try F.at("2026-10-25T01:50:00+02:00")),
        SourceTime(instant: try F.at("2026-10-25T02:30:00+02:00"), isAmbiguous: true),
        SourceTime(instant: try F.at("2026-10-25T02:50:00+02:00"), isAmbiguous: true),
        SourceTime(instant: try F.at("2026-10-25T02:30:00+01:00"), isAmbiguous: true),
        SourceTime(instant: try F.at("2026-10-25T02:30:00+01:00"), isAmbiguous: true),
        SourceTime(instant: try F.at("2026-10-25T03:10:00+01:00")),
      ]
    )
  }

  @Test func theSpringGapIsReadAsIfTheClockHadMovedForward() throws {
    let url = try F.chat(["2026-03-29 01:59 - Marko: före", "2026-03-29 02:30 - Marko: finns inte"])
    let messages = try F.read(url)
    #expect(
      messages.map(\.time) == [
        SourceTime(instant: try F.at("2026-03-29T01:59:00+01:00")),
        SourceTime(instant: try F.at("2026-03-29T03:30:00+02:00"), isAmbiguous: true),
      ]
    )
  }

  // MARK: Malformed input

  @Test func aFirstLineThatIsNotAChatLineIsAnError() throws {
    let url = try F.chat(["Hello, this is not WhatsApp", "28/11/2026, 22:31 - Marko: hej"])
    let error = try #require(F.error(url))
    #expect(error.file == "WhatsApp Chat with Marko.txt")
    #expect(error.position == "line 1")
    #expect(error.message == "Line 1 is not a WhatsApp chat line: it does not start with a date and time.")
  }

  @Test func anEmptyFileIsAnError() throws {
    let folder = try F.folder()
    let empty = folder.appendingPathComponent("empty.txt")
    try Data().write(to: empty)
    #expect(F.error(empty)?.message == "The file is empty: it has no WhatsApp chat lines.")
    let blank = try F.chat(["", "   "])
    #expect(F.error(blank)?.message == "The file is empty: it has no WhatsApp chat lines.")
  }

  @Test func anImpossibleDateIsAnErrorWithTheLine() throws {
    let url = try F.chat(["28/11/2026, 22:31 - Marko: hej", "31/02/2026, 22:31 - Marko: 31 februari"])
    let error = try #require(F.error(url))
    #expect(error.position == "line 2")
    #expect(error.message.hasPrefix("Line 2 has a date or time that does not exist when read as dmy"))
  }

  @Test func anImpossibleTimeIsAnErrorWithTheLine() throws {
    let url = try F.chat(["28/11/2026, 25:31 - Marko: hej"])
    #expect(F.error(url)?.position == "line 1")
  }

  @Test func aZipWithoutAChatIsAnError() throws {
    let url = try F.zip([("IMG-20261128-WA0003.jpg", [1, 2, 3])])
    let error = try #require(F.error(url))
    #expect(error.file == "Export.zip")
    #expect(error.message == "The zip has no WhatsApp chat in it (no .txt file).")
  }

  @Test func textThatIsNotUTF8IsAnErrorWithTheLine() throws {
    let url = try F.folder().appendingPathComponent("chat.txt")
    try Data(Array("28/11/2026, 22:31 - Marko: hej\n".utf8) + [0xC3, 0x28, 0x0A]).write(to: url)
    #expect(F.error(url)?.position == "line 2")
  }

  // MARK: Progress and handler

  @Test func progressEndsAtTheTotalSize() throws {
    let url = try F.chat(["28/11/2026, 22:31 - Marko: hej"])
    var reports: [(Int64, Int64)] = []
    let reader = WhatsAppReader(url: url, me: nil, timeZone: F.stockholm)
    try reader.read(progress: { reports.append(($0, $1)) }, { _ in })
    let size = Int64(try Data(contentsOf: url).count)
    #expect(reports.last.map { [$0.0, $0.1] } == [size, size])
  }

  @Test func anErrorFromTheHandlerStopsReading() throws {
    struct Stop: Error {}
    let url = try F.chat(["28/11/2026, 22:31 - Marko: a", "28/11/2026, 22:32 - Marko: b"])
    var seen = 0
    #expect(throws: Stop.self) {
      try WhatsAppReader(url: url, me: nil, timeZone: F.stockholm).read { _ in
        seen += 1
        throw Stop()
      }
    }
    #expect(seen == 1)
  }
}
