package org.dl4jasync.bench.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * {@code report.html}: the summary's tables and the plots in one self-contained page (the PNGs are embedded as data
 * URIs; no script, no stylesheet or font from elsewhere), so it opens offline and can be mailed as one file.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** Converts the summary's Markdown (headings, paragraphs, tables) and appends the images. */
    public static String html(String title, String summaryMarkdown, List<Path> images) throws IOException {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title))
                .append("</title>\n<style>body{font-family:sans-serif;max-width:1100px;"
                        + "margin:2em auto}table{border-collapse:collapse;font-size:90%}td,th{border:1px solid #ccc;"
                        + "padding:2px 6px}td{text-align:right}td:first-child{text-align:left}img{max-width:100%}"
                        + "</style></head><body>\n");
        boolean inTable = false;
        boolean header = false;
        for (String line : summaryMarkdown.split("\n")) {
            if (line.startsWith("|")) {
                String[] cells = line.substring(1, line.length() - (line.endsWith("|") ? 1 : 0))
                        .split("\\|");
                if (!inTable) {
                    b.append("<table>\n");
                    inTable = true;
                    header = true;
                }
                if (cells.length > 0 && cells[0].strip().matches("-+:?|:?-+:?")) {
                    continue; // the alignment row
                }
                b.append("<tr>");
                for (String c : cells) {
                    b.append(header ? "<th>" : "<td>").append(inline(c.strip())).append(header ? "</th>" : "</td>");
                }
                b.append("</tr>\n");
                header = false;
                continue;
            }
            if (inTable) {
                b.append("</table>\n");
                inTable = false;
            }
            if (line.startsWith("## ")) {
                b.append("<h2>").append(inline(line.substring(3))).append("</h2>\n");
            } else if (line.startsWith("# ")) {
                b.append("<h1>").append(inline(line.substring(2))).append("</h1>\n");
            } else if (!line.isBlank()) {
                b.append("<p>").append(inline(line)).append("</p>\n");
            }
        }
        if (inTable) {
            b.append("</table>\n");
        }
        for (Path img : images) {
            b.append("<h2>")
                    .append(escape(img.getFileName().toString()))
                    .append("</h2>\n<img alt=\"")
                    .append(escape(img.getFileName().toString()))
                    .append("\" src=\"data:image/png;base64,")
                    .append(Base64.getEncoder().encodeToString(Files.readAllBytes(img)))
                    .append("\">\n");
        }
        return b.append("</body></html>\n").toString();
    }

    private static String inline(String s) {
        return escape(s).replaceAll("`([^`]*)`", "<code>$1</code>");
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
