/*
 * "Copy link": an enhancement of the read-only address field, which
 * works without script (select it, copy it).  With script, a button
 * copies it and says so to screen readers; where the clipboard is not
 * available, the button selects the address for the reader to copy.
 */
(function () {
	"use strict";
	var field = document.getElementById("share-url");
	var box, button, status;

	if (field === null)
		return;
	box = field.parentNode;
	button = document.createElement("button");
	button.type = "button";
	button.className = "secondary";
	button.textContent = box.getAttribute("data-copy");
	status = document.createElement("span");
	status.className = "copy-status";
	status.setAttribute("role", "status");
	function selectIt() {
		field.focus();
		field.select();
	}
	button.addEventListener("click", function () {
		if (!navigator.clipboard || !window.isSecureContext) {
			selectIt();
			return;
		}
		navigator.clipboard.writeText(field.value).then(function () {
			status.textContent = box.getAttribute("data-copied");
		}, selectIt);
	});
	field.addEventListener("focus", function () { field.select(); });
	box.appendChild(button);
	box.appendChild(status);
}());
