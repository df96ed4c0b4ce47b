/** A sample job bundle: word counts over given text, as a user's DS component. Nothing exported. */
package com.example.wordcount;
