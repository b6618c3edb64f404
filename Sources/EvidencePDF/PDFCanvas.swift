internal import CPangoCairo
import EvidenceVault
import Foundation

/// An RGB colour, components 0…1.
struct Colour {
  var red: Double
  var green: Double
  var blue: Double

  static let text = Colour(red: 0.1, green: 0.1, blue: 0.1)
  static let grey = Colour(red: 0.42, green: 0.42, blue: 0.42)
  static let rule = Colour(red: 0.75, green: 0.75, blue: 0.75)
  static let quoteBackground = Colour(red: 0.94, green: 0.94, blue: 0.94)
  static let quoteBar = Colour(red: 0.55, green: 0.55, blue: 0.55)
  static let link = Colour(red: 0.05, green: 0.25, blue: 0.6)
}

/// A font and a colour for text.
struct TextStyle {
  /// PangoFontDescription, owned by the canvas.
  fileprivate let font: OpaquePointer
  let colour: Colour
}

/// A4 pages in points, and the boxes on them.
enum Page {
  static let millimetre = 72.0 / 25.4
  static let width = 210 * millimetre
  static let height = 297 * millimetre
  static let left = 20 * millimetre
  static let right = width - 20 * millimetre
  static let bodyWidth = right - left
  static let bodyTop = 24 * millimetre
  static let bodyBottom = height - 22 * millimetre
  static let headerBaseline = 13 * millimetre
  static let footerTop = height - 15 * millimetre
}

/// One pass over the document: cairo draws onto a PDF surface, Pango lays out and shapes the text.
///
/// The dossier is laid out twice with the same code: a measuring pass that draws nothing and counts the pages
/// (and the page each section starts on), then a drawing pass that knows the total for "Page 3 of 12". Both passes
/// use PDF surfaces, so Pango measures with the same font options and the two layouts are the same.
final class PDFCanvas {
  /// Whether this pass draws (the second pass) or only measures (the first).
  let drawing: Bool
  private let surface: OpaquePointer
  private let cairo: OpaquePointer
  private let pango: OpaquePointer
  /// PangoAttrList shared by every layout.
  private let noHyphens: OpaquePointer
  private var fonts: [OpaquePointer] = []
  private let sink: FileSink?

  /// The page being filled, from 1, and the total from the measuring pass (0 while measuring).
  private(set) var pageNumber = 0
  let totalPages: Int
  /// Where the next thing goes, from the top of the page.
  var y = Page.bodyTop
  /// The page each named destination is on, for the contents.
  private(set) var destinationPages: [String: Int] = [:]
  /// Drawn at the top and the bottom of every page.
  private let header: String
  private let footer: (Int, Int) -> String

  let body: TextStyle
  let bold: TextStyle
  let small: TextStyle
  let smallBold: TextStyle
  let label: TextStyle
  let mono: TextStyle
  let smallMono: TextStyle
  let sectionHeading: TextStyle
  let subHeading: TextStyle
  let titleStyle: TextStyle
  let linkStyle: TextStyle

  /// A canvas writing to `output`, or measuring only when `output` is nil.
  init(
    output: URL?, totalPages: Int, header: String, footer: @escaping (Int, Int) -> String
  ) throws {
    if let output {
      let sink = try FileSink(output)
      self.sink = sink
      surface = cairo_pdf_surface_create_for_stream(
        { closure, data, length in
          guard let closure, let data else { return CAIRO_STATUS_WRITE_ERROR }
          let sink = Unmanaged<FileSink>.fromOpaque(closure).takeUnretainedValue()
          return sink.write(data, count: Int(length)) ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR
        }, Unmanaged.passUnretained(sink).toOpaque(), Page.width, Page.height)
    } else {
      sink = nil
      // "NULL may be used to specify no output": a surface for measuring only.
      surface = cairo_pdf_surface_create(nil, Page.width, Page.height)
    }
    drawing = output != nil
    self.totalPages = totalPages
    self.header = header
    self.footer = footer
    cairo = cairo_create(surface)
    pango = pango_cairo_create_context(cairo)
    // One unit of a PDF surface is a point: 72 per inch (Pango assumes a 96 dpi screen, a third too large).
    pango_cairo_context_set_resolution(pango, 72)
    // Unhinted metrics: advances are not rounded to whole points.
    let options = cairo_font_options_create()
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
    pango_cairo_context_set_font_options(pango, options)
    cairo_font_options_destroy(options)
    // Nor are glyph positions (Pango rounds them by default, which makes small text a tenth wider).
    pango_context_set_round_glyph_positions(pango, 0)
    // Never add a hyphen where a line breaks inside a word: hashes, file names and verbatim texts stay exact.
    noHyphens = pango_attr_list_new()
    pango_attr_list_insert(noHyphens, pango_attr_insert_hyphens_new(0))
    var fonts: [OpaquePointer] = []
    func style(_ description: String, _ colour: Colour) -> TextStyle {
      // Never NULL (GLib aborts when out of memory); a family missing here falls back via fontconfig.
      let font: OpaquePointer = pango_font_description_from_string(description)
      fonts.append(font)
      return TextStyle(font: font, colour: colour)
    }
    let family = "DejaVu Sans, Noto Sans"
    body = style("\(family) 10", .text)
    bold = style("\(family) Bold 10", .text)
    small = style("\(family) 8.5", .grey)
    smallBold = style("\(family) Bold 8.5", .text)
    label = style("\(family) 9", .grey)
    mono = style("DejaVu Sans Mono, Noto Sans Mono 8.5", .text)
    smallMono = style("DejaVu Sans Mono, Noto Sans Mono 7.5", .text)
    sectionHeading = style("\(family) Bold 16", .text)
    subHeading = style("\(family) Bold 12.5", .text)
    titleStyle = style("\(family) Bold 20", .text)
    linkStyle = style("\(family) 10.5", .link)
    self.fonts = fonts
    try check("start the PDF")
    beginPage()
  }

  deinit {
    for font in fonts { pango_font_description_free(font) }
    pango_attr_list_unref(noHyphens)
    g_object_unref(UnsafeMutableRawPointer(pango))
    cairo_destroy(cairo)
    cairo_surface_destroy(surface)
  }

  /// Ends the last page and writes the rest of the file (fonts, outline, metadata).
  func finish() throws {
    endPage()
    cairo_surface_finish(surface)
    try check("write the PDF")
    try sink?.close()
  }

  private func check(_ action: String) throws {
    let status = cairo_surface_status(surface)
    if let error = sink?.error {
      throw fileSystemError(action, sink?.path ?? "", errno: error)
    }
    guard status == CAIRO_STATUS_SUCCESS else {
      let reason = String(cString: cairo_status_to_string(status))
      throw VaultError(.fileSystem, "Could not \(action) \(sink?.path ?? ""): cairo says \"\(reason)\".")
    }
  }

  // MARK: - Metadata and outline

  /// Sets the document's title, author (only when given) and creation date (ISO 8601).
  func setMetadata(title: String, author: String?, created: String) {
    guard drawing else { return }
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_TITLE, title)
    if let author { cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_AUTHOR, author) }
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_CREATE_DATE, created)
    cairo_pdf_surface_set_metadata(surface, CAIRO_PDF_METADATA_MOD_DATE, created)
  }

  /// Adds a bookmark to the destination `name` under `parent` (0 is the top level); returns its id.
  @discardableResult
  func addOutline(_ title: String, destination name: String, parent: Int32 = 0) -> Int32 {
    guard drawing else { return 0 }
    return cairo_pdf_surface_add_outline(surface, parent, title, "dest='\(name)'", cairo_pdf_outline_flags_t(0))
  }

  // MARK: - Pages

  private func beginPage() {
    pageNumber += 1
    y = Page.bodyTop
    guard drawing else { return }
    let layout = makeLayout(header, style: small, width: Page.bodyWidth)
    pango_layout_set_ellipsize(layout, PANGO_ELLIPSIZE_END)
    draw(layout, x: Page.left, top: Page.headerBaseline - height(of: layout), colour: Colour.grey)
    g_object_unref(UnsafeMutableRawPointer(layout))
    setColour(.rule)
    cairo_set_line_width(cairo, 0.5)
    cairo_move_to(cairo, Page.left, Page.headerBaseline + 2)
    cairo_line_to(cairo, Page.right, Page.headerBaseline + 2)
    cairo_stroke(cairo)
  }

  private func endPage() {
    guard drawing else { return }
    let layout = makeLayout(footer(pageNumber, totalPages), style: small, width: Page.bodyWidth)
    pango_layout_set_alignment(layout, PANGO_ALIGN_CENTER)
    draw(layout, x: Page.left, top: Page.footerTop, colour: Colour.grey)
    g_object_unref(UnsafeMutableRawPointer(layout))
    cairo_show_page(cairo)
  }

  /// Ends this page and starts the next.
  func newPage() {
    endPage()
    beginPage()
  }

  /// Starts a new page unless this one is still empty.
  func startOnFreshPage() {
    if y > Page.bodyTop { newPage() }
  }

  /// Starts a new page if less than `height` points are left on this one.
  func keepRoom(_ height: Double) {
    if y + height > Page.bodyBottom, y > Page.bodyTop { newPage() }
  }

  /// Vertical space, dropped at the top of a page.
  func space(_ points: Double) {
    guard y > Page.bodyTop else { return }
    y = min(y + points, Page.bodyBottom)
  }

  // MARK: - Text

  /// A Pango layout of `text`, wrapped at `width` points: between words, and inside a word too long for a line.
  /// The caller releases it with `release(_:)`.
  func makeLayout(_ text: String, style: TextStyle, width: Double) -> OpaquePointer {
    // pango_layout_new never returns NULL (GLib aborts when out of memory).
    let layout: OpaquePointer = pango_layout_new(pango)
    pango_layout_set_font_description(layout, style.font)
    pango_layout_set_width(layout, Int32(width * Double(PANGO_SCALE)))
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR)
    pango_layout_set_attributes(layout, noHyphens)
    let safe = text.contains("\u{0}") ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    safe.withCString { pango_layout_set_text(layout, $0, Int32(strlen($0))) }
    return layout
  }

  func release(_ layout: OpaquePointer) {
    g_object_unref(UnsafeMutableRawPointer(layout))
  }

  /// The height of a laid out text, in points.
  func height(of layout: OpaquePointer) -> Double {
    var width: Int32 = 0
    var height: Int32 = 0
    pango_layout_get_size(layout, &width, &height)
    return Double(height) / Double(PANGO_SCALE)
  }

  /// The width of a laid out text's longest line, in points.
  func width(of layout: OpaquePointer) -> Double {
    var ink = PangoRectangle()
    var logical = PangoRectangle()
    pango_layout_get_extents(layout, &ink, &logical)
    return Double(logical.width) / Double(PANGO_SCALE)
  }

  /// Draws a whole layout at a fixed place (no page breaks): for headers, captions and table cells that fit.
  func draw(_ layout: OpaquePointer, x: Double, top: Double, colour: Colour) {
    guard drawing else { return }
    setColour(colour)
    cairo_move_to(cairo, x, top)
    pango_cairo_show_layout(cairo, layout)
  }

  /// Flows `text` line by line from the current position, `indent` points in from the left margin, starting a
  /// new page between lines where the page is full. `beside` is called before each line is drawn with the line's
  /// top and height (for the bar and background of a quoted block).
  func flow(
    _ text: String, style: TextStyle, indent: Double = 0, width: Double? = nil,
    beside: ((_ top: Double, _ height: Double) -> Void)? = nil
  ) {
    let layout = makeLayout(text, style: style, width: width ?? (Page.bodyWidth - indent))
    flow(layout, colour: style.colour, indent: indent, beside: beside)
    release(layout)
  }

  /// Flows a layout line by line (see `flow(_:style:indent:width:beside:)`).
  func flow(
    _ layout: OpaquePointer, colour: Colour, indent: Double,
    beside: ((_ top: Double, _ height: Double) -> Void)? = nil
  ) {
    guard let iterator = pango_layout_get_iter(layout) else { return }
    defer { pango_layout_iter_free(iterator) }
    let scale = Double(PANGO_SCALE)
    repeat {
      var ink = PangoRectangle()
      var logical = PangoRectangle()
      pango_layout_iter_get_line_extents(iterator, &ink, &logical)
      let baseline = Double(pango_layout_iter_get_baseline(iterator) - logical.y) / scale
      let lineHeight = Double(logical.height) / scale
      if y + lineHeight > Page.bodyBottom, y > Page.bodyTop { newPage() }
      if drawing {
        beside?(y, lineHeight)
        setColour(colour)
        cairo_move_to(cairo, Page.left + indent + Double(logical.x) / scale, y + baseline)
        pango_cairo_show_layout_line(cairo, pango_layout_iter_get_line_readonly(iterator))
      }
      y += lineHeight
    } while pango_layout_iter_next_line(iterator) != 0
  }

  // MARK: - Links and destinations

  /// Marks what `body` draws as the destination `name` (for links and bookmarks) and notes its page.
  func destination(_ name: String, _ body: () -> Void) {
    if drawing { cairo_tag_begin(cairo, "cairo.dest", "name='\(name)'") }  // CAIRO_TAG_DEST
    body()
    if drawing { cairo_tag_end(cairo, "cairo.dest") }
    destinationPages[name] = pageNumber
  }

  /// Makes what `body` draws a link to the destination `name`.
  func link(to name: String, _ body: () -> Void) {
    if drawing { cairo_tag_begin(cairo, "Link", "dest='\(name)'") }  // CAIRO_TAG_LINK
    body()
    if drawing { cairo_tag_end(cairo, "Link") }
  }

  // MARK: - Shapes

  func setColour(_ colour: Colour) {
    cairo_set_source_rgb(cairo, colour.red, colour.green, colour.blue)
  }

  func fillRectangle(x: Double, y: Double, width: Double, height: Double, colour: Colour) {
    guard drawing else { return }
    setColour(colour)
    cairo_rectangle(cairo, x, y, width, height)
    cairo_fill(cairo)
  }

  func strokeRectangle(x: Double, y: Double, width: Double, height: Double, colour: Colour, lineWidth: Double) {
    guard drawing else { return }
    setColour(colour)
    cairo_set_line_width(cairo, lineWidth)
    cairo_rectangle(cairo, x, y, width, height)
    cairo_stroke(cairo)
  }

  func line(from start: (Double, Double), to end: (Double, Double), colour: Colour, width: Double, dotted: Bool = false)
  {
    guard drawing else { return }
    setColour(colour)
    cairo_set_line_width(cairo, width)
    if dotted {
      var dashes: [Double] = [0.6, 2.4]
      cairo_set_dash(cairo, &dashes, 2, 0)
    }
    cairo_move_to(cairo, start.0, start.1)
    cairo_line_to(cairo, end.0, end.1)
    cairo_stroke(cairo)
    if dotted { cairo_set_dash(cairo, nil, 0, 0) }
  }

  /// Paints `image` (a cairo image surface) scaled into the box, turned upright by its Exif `orientation`, then
  /// releases it. cairo keeps its own reference until the page is written, so only the current page's pictures are
  /// in memory.
  func paint(
    image: OpaquePointer, pixelWidth: Int, pixelHeight: Int, orientation: Int, x: Double, y: Double, width: Double,
    height: Double
  ) {
    defer { cairo_surface_destroy(image) }
    guard drawing, pixelWidth > 0, pixelHeight > 0 else { return }
    let w = Double(pixelWidth)
    let h = Double(pixelHeight)
    let shownWidth = orientation >= 5 ? h : w
    cairo_save(cairo)
    cairo_rectangle(cairo, x, y, width, height)
    cairo_clip(cairo)
    cairo_translate(cairo, x, y)
    cairo_scale(cairo, width / shownWidth, width / shownWidth)
    // Where the stored pixel (x, y) goes when shown: x' = xx·x + xy·y + x0, y' = yx·x + yy·y + y0.
    var turn = cairo_matrix_t()
    switch orientation {
    case 2: cairo_matrix_init(&turn, -1, 0, 0, 1, w, 0)  // mirrored left to right
    case 3: cairo_matrix_init(&turn, -1, 0, 0, -1, w, h)  // upside down
    case 4: cairo_matrix_init(&turn, 1, 0, 0, -1, 0, h)  // mirrored top to bottom
    case 5: cairo_matrix_init(&turn, 0, 1, 1, 0, 0, 0)  // transposed
    case 6: cairo_matrix_init(&turn, 0, 1, -1, 0, h, 0)  // turned a quarter clockwise to show
    case 7: cairo_matrix_init(&turn, 0, -1, -1, 0, h, w)  // transverse
    case 8: cairo_matrix_init(&turn, 0, -1, 1, 0, 0, w)  // turned a quarter anticlockwise to show
    default: cairo_matrix_init_identity(&turn)
    }
    cairo_transform(cairo, &turn)
    cairo_set_source_surface(cairo, image, 0, 0)
    cairo_paint(cairo)
    cairo_restore(cairo)
  }
}

/// Where cairo's PDF stream goes: a file created 0600 (the dossier is as private as the rest of the package).
private final class FileSink {
  let path: String
  private var descriptor: Int32
  private(set) var error: Int32?

  init(_ url: URL) throws {
    path = url.path
    descriptor = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else { throw fileSystemError("create", url.path, errno: errno) }
    _ = fchmod(descriptor, 0o600)
  }

  deinit {
    if descriptor >= 0 { _ = Glibc.close(descriptor) }
  }

  func write(_ bytes: UnsafePointer<UInt8>, count: Int) -> Bool {
    guard error == nil else { return false }
    var done = 0
    while done < count {
      let written = Glibc.write(descriptor, bytes + done, count - done)
      if written < 0 {
        if errno == EINTR { continue }
        error = errno
        return false
      }
      done += written
    }
    return true
  }

  func close() throws {
    guard descriptor >= 0 else { return }
    let flushed = fsync(descriptor) == 0 ? 0 : errno
    let closed = Glibc.close(descriptor) == 0 ? 0 : errno
    descriptor = -1
    if let error { throw fileSystemError("write", path, errno: error) }
    if flushed != 0 { throw fileSystemError("write", path, errno: flushed) }
    if closed != 0 { throw fileSystemError("write", path, errno: closed) }
  }
}

/// A failed system call on `path` as one sentence.
func fileSystemError(_ action: String, _ path: String, errno code: Int32) -> VaultError {
  if code == ENOSPC || code == EDQUOT {
    return VaultError(
      .diskFull, "The disk is full: could not \(action) \(path).", hint: "Free some space and try again.")
  }
  return VaultError(.fileSystem, "Could not \(action) \(path): \(String(cString: strerror(code))).")
}
